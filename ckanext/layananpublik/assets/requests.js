/* Print / save as PDF button of the receipt and the decision notice (no inline script:
   CSP-friendly). The button stays hidden where scripts do not run; the page then says
   how to print from the browser's menu. */
this.ckan.module("layananpublik-print", function () {
  "use strict";
  return {
    initialize: function () {
      this.el.prop("hidden", false);
      this.el.on("click", function () {
        window.print();
      });
    },
  };
});
