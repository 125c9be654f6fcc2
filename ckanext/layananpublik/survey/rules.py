"""The satisfaction survey's rules, from PermenPAN-RB 14/2017 (Pedoman Penyusunan Survei
Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik). Pure logic: no database.

- The nine service elements (unsur SKM) of the regulation's scope (Lampiran, "Ruang Lingkup"),
  each answered on the four-point scale of its questionnaire (1 = not good … 4 = very good).
- NRR per unsur = the sum of its answers / the number of respondents; each unsur weighs the
  same, 1/9 ("bobot nilai rata-rata tertimbang = jumlah bobot / jumlah unsur"); the index is
  IKM = Σ(NRR × 1/9) × 25, on a 25–100 scale (Lampiran, "Pengolahan Data").
- The converted index falls in a grade band ("mutu pelayanan"): A Sangat Baik 88.31–100.00,
  B Baik 76.61–88.30, C Kurang Baik 65.00–76.60, D Tidak Baik 25.00–64.99.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ckanext.layananpublik.cases.labels import N_

# The nine unsur, in the regulation's order: code -> (label, the question asked).
UNSUR = {
    "u1": (N_("Requirements"), N_("How well did the requirements fit the service you asked for?")),
    "u2": (N_("System, mechanism and procedure"), N_("How easy was the procedure of the service?")),
    "u3": (N_("Time to complete"), N_("How fast was the service completed?")),
    "u4": (N_("Cost / fee"), N_("How fair was the cost (or was it free, as promised)?")),
    "u5": (N_("Product of the service"), N_("How well did what you received match what the service promises?")),
    "u6": (N_("Competence of the staff"), N_("How competent were the staff who served you?")),
    "u7": (N_("Conduct of the staff"), N_("How courteous and helpful were the staff?")),
    "u8": (N_("Handling of complaints, suggestions and input"),
           N_("How well are complaints, suggestions and input handled?")),
    "u9": (N_("Facilities and infrastructure"), N_("How good were the facilities (this website included)?")),
}  # fmt: skip
CODES = tuple(UNSUR)
# The questionnaire's four answers (nilai persepsi).
SCALE = {
    1: N_("Not good"),
    2: N_("Less than good"),
    3: N_("Good"),
    4: N_("Very good"),
}
WEIGHT = Decimal(1) / Decimal(len(CODES))  # 1/9: every unsur weighs the same
CONVERSION = 25  # the 1–4 average times 25: the 25–100 scale
# (lowest converted value, grade, label), best first.
GRADES = (
    (Decimal("88.31"), "A", N_("Very good")),
    (Decimal("76.61"), "B", N_("Good")),
    (Decimal("65.00"), "C", N_("Less than good")),
    (Decimal("25.00"), "D", N_("Not good")),
)
CENT = Decimal("0.01")


def rounded(value: Decimal, places: Decimal = CENT) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def grade(converted: Decimal) -> tuple[str, str]:
    """The band (grade, English label) of a value on the 25–100 scale, rounded to 2 places."""
    value = rounded(converted)
    for lowest, letter, label in GRADES:
        if value >= lowest:
            return letter, label
    return GRADES[-1][1], GRADES[-1][2]


def index(sums: dict[str, int], respondents: int) -> dict:
    """The index of `respondents` answers whose totals per unsur are `sums`: NRR per unsur
    (and its weighted value and grade), the IKM and its grade. Nothing for no respondent."""
    if respondents <= 0:
        return {"unsur": [], "ikm": None, "grade": None, "grade_label": None}
    unsur, weighted_total = [], Decimal(0)
    for code in CODES:
        nrr = Decimal(sums[code]) / Decimal(respondents)
        weighted_total += nrr * WEIGHT
        letter, label = grade(nrr * CONVERSION)
        unsur.append({"code": code, "nrr": float(rounded(nrr, Decimal("0.001"))),
                      "nrr_weighted": float(rounded(nrr * WEIGHT, Decimal("0.001"))),
                      "converted": float(rounded(nrr * CONVERSION)), "grade": letter, "grade_label": label})  # fmt: skip
    ikm = rounded(weighted_total * CONVERSION)
    letter, label = grade(ikm)
    return {"unsur": unsur, "ikm": float(ikm), "grade": letter, "grade_label": label}
