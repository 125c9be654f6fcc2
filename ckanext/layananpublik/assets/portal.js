/* Small accessibility mends for every page (issue 17; checked by axe-core in tests/browser). */
(function () {
  "use strict";

  function translate(text) {
    return window.ckan && ckan.i18n ? ckan.i18n._(text) : text;
  }

  /* A table that scrolls sideways (.table-responsive on a phone) takes keyboard focus, so it
     can be scrolled without a mouse (WCAG 2.1.1); named by its caption when it has one. */
  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
        var caption = region.querySelector("caption");
        if (caption && !region.hasAttribute("role")) {
          region.setAttribute("role", "region");
          region.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (region.getAttribute("tabindex") === "0") {
        region.removeAttribute("tabindex");
      }
    });
  }

  /* select2 (tags, autocomplete) draws the "remove" cross of a chosen item as an empty link:
     give it a name, "Remove <item>" in the page's language (WCAG 4.1.2). */
  function nameRemoveLinks(root) {
    root.querySelectorAll(".select2-search-choice-close:not([aria-label])").forEach(function (link) {
      var item = link.parentNode ? link.parentNode.textContent.trim() : "";
      link.setAttribute("aria-label", (translate("Remove") + " " + item).trim());
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markScrollingTables();
    nameRemoveLinks(document);
    new MutationObserver(function () { nameRemoveLinks(document); })
      .observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("resize", markScrollingTables);
})();
