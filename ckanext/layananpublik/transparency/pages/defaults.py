"""The pages a body publishes about its information service, with the texts shown until an
administrator edits them (Indonesian, the site's default language, and English).

The texts are content, not interface strings: they live here in both languages rather than in
the i18n catalogues. Placeholders in square brackets are what a body must fill in.
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("id", "en")
FORMATS = ("markdown", "html")


@dataclass(frozen=True)
class PageDefault:
    slug: str
    title: dict[str, str]
    body: dict[str, str]


_PROFILE_ID = """\
## Pejabat Pengelola Informasi dan Dokumentasi (PPID)

PPID melayani permohonan informasi publik sesuai Undang-Undang Nomor 14 Tahun 2008 tentang
Keterbukaan Informasi Publik.

### Struktur
- **Atasan PPID:** [nama dan jabatan]
- **PPID Utama:** [nama dan jabatan]
- **PPID Pelaksana:** [unit kerja]

### Kontak
- Alamat: [alamat kantor]
- Telepon: [nomor telepon]
- Surel: [alamat surel]
- Peta lokasi: [tautan peta]

### Jam layanan
Senin–Kamis 08.00–15.30 WIB, Jumat 08.00–16.00 WIB, kecuali hari libur nasional dan cuti bersama.
Permohonan melalui portal dapat diajukan setiap saat.
"""

_PROFILE_EN = """\
## Information and Documentation Officer (PPID)

The PPID answers requests for public information under Law 14/2008 on Public Information
Disclosure.

### Structure
- **PPID's superior:** [name and position]
- **Chief PPID:** [name and position]
- **Unit PPIDs:** [units]

### Contact
- Address: [office address]
- Phone: [phone number]
- Email: [email address]
- Map: [map link]

### Service hours
Monday–Thursday 08:00–15:30, Friday 08:00–16:00 (WIB), except national holidays and joint leave.
Requests through the portal can be sent at any time.
"""

_STANDARD_ID = """\
Standar layanan informasi publik ini memenuhi 14 komponen Pasal 21 Undang-Undang Nomor 25 Tahun 2009
tentang Pelayanan Publik.

1. **Dasar hukum:** UU 14/2008, UU 25/2009, PP 61/2010, Peraturan Komisi Informasi Nomor 1 Tahun 2021.
2. **Persyaratan:** identitas pemohon (KTP/NIK, atau akta badan hukum), rincian informasi, tujuan penggunaan.
3. **Sistem, mekanisme dan prosedur:** permohonan diajukan melalui portal, surel atau langsung; pemohon
   menerima nomor pendaftaran seketika.
4. **Jangka waktu penyelesaian:** paling lambat 10 hari kerja, dapat diperpanjang paling lama 7 hari kerja.
5. **Biaya/tarif:** tidak dipungut biaya; biaya penggandaan sesuai halaman Biaya.
6. **Produk pelayanan:** informasi publik yang diminta dan pemberitahuan tertulis.
7. **Sarana, prasarana dan/atau fasilitas:** ruang layanan informasi, komputer, portal ini.
8. **Kompetensi pelaksana:** memahami keterbukaan informasi publik dan pengelolaan dokumen.
9. **Pengawasan internal:** oleh Atasan PPID.
10. **Penanganan pengaduan, saran dan masukan:** melalui halaman Pengaduan.
11. **Jumlah pelaksana:** [jumlah] orang.
12. **Jaminan pelayanan:** layanan diberikan sesuai standar ini.
13. **Jaminan keamanan dan keselamatan pelayanan:** data pribadi pemohon dilindungi dan tidak diumumkan.
14. **Evaluasi kinerja pelaksana:** dilakukan paling sedikit sekali setahun.
"""

_STANDARD_EN = """\
This public-information service standard covers the 14 components of Article 21 of Law 25/2009 on
Public Services.

1. **Legal basis:** Law 14/2008, Law 25/2009, Government Regulation 61/2010, Information Commission
   Regulation 1/2021.
2. **Requirements:** the requester's identity (identity card/NIK, or the legal entity's deed), details of
   the information, purpose of use.
3. **System, mechanism and procedure:** requests are made through the portal, by email or in person; the
   requester receives a registration number at once.
4. **Completion time:** at most 10 working days, extendable once by at most 7 working days.
5. **Fees:** free of charge; copying costs as on the Fees page.
6. **Product:** the requested public information and a written decision notice.
7. **Facilities:** information service desk, computers, this portal.
8. **Staff competence:** knowledge of public-information disclosure and records management.
9. **Internal supervision:** by the PPID's superior.
10. **Complaints, suggestions and feedback:** through the Complaints page.
11. **Number of staff:** [number].
12. **Service guarantee:** the service is delivered according to this standard.
13. **Safety and security guarantee:** requesters' personal data is protected and never published.
14. **Staff performance evaluation:** at least once a year.
"""

_SOP_ID = """\
Tujuh standar operasional prosedur (SOP) sesuai Pasal 23 Peraturan Komisi Informasi Nomor 1 Tahun 2021:

1. **SOP pengumuman informasi publik** — informasi berkala dan serta merta diumumkan melalui portal,
   papan pengumuman dan media sosial resmi.
2. **SOP pelayanan permohonan informasi publik** — permohonan dicatat dalam register dan diputus dalam
   10 hari kerja (dapat diperpanjang 7 hari kerja).
3. **SOP pengajuan keberatan** — keberatan diajukan paling lambat 30 hari kerja dan dijawab Atasan PPID
   dalam 30 hari kerja.
4. **SOP penetapan dan pemutakhiran Daftar Informasi Publik** — DIP ditetapkan dan dimutakhirkan paling
   sedikit setiap enam bulan.
5. **SOP pendokumentasian informasi publik** — informasi didokumentasikan dan disimpan sesuai jadwal retensi.
6. **SOP maklumat pelayanan** — maklumat ditetapkan, diumumkan dan dievaluasi setiap tahun.
7. **SOP pengujian konsekuensi** — informasi yang dikecualikan ditetapkan melalui uji konsekuensi
   berdasarkan Pasal 17 UU 14/2008.
"""

_SOP_EN = """\
The seven standard operating procedures (SOPs) of Article 23 of Information Commission Regulation 1/2021:

1. **Announcing public information** — periodic and immediate information is announced on the portal,
   the notice board and the official social-media accounts.
2. **Serving information requests** — requests are entered in the register and decided within 10 working
   days (extendable by 7).
3. **Objections** — objections are filed within 30 working days and answered by the PPID's superior
   within 30 working days.
4. **Setting and updating the public information list (DIP)** — the DIP is set and updated at least every
   six months.
5. **Documentation** — information is documented and kept according to the retention schedule.
6. **Service pledge** — the pledge is set, announced and evaluated every year.
7. **Consequence testing** — exempt information is decided by a consequence test under Article 17 of
   Law 14/2008.
"""

_PLEDGE_ID = """\
## Maklumat Pelayanan Informasi Publik

Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan informasi publik sesuai standar layanan
yang telah ditetapkan, dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan
perundang-undangan yang berlaku.

- **Dasar hukum:** UU 14/2008 dan Peraturan Komisi Informasi Nomor 1 Tahun 2021.
- **Prosedur:** sesuai halaman Tata Cara.
- **Waktu penyelesaian:** paling lambat 10 hari kerja (+7 hari kerja perpanjangan).
- **Biaya:** sesuai halaman Biaya.
- **Jaminan:** informasi diberikan secara cepat, tepat waktu, biaya ringan dan cara sederhana.
- **Evaluasi:** pelaksanaan maklumat dievaluasi setiap tahun.

[Tempat, tanggal] — [nama dan jabatan pimpinan Badan Publik]
"""

_PLEDGE_EN = """\
## Public Information Service Pledge

We hereby pledge to provide the public-information service according to the published service standard;
should we fail to keep this pledge, we are ready to accept sanctions under the applicable regulations.

- **Legal basis:** Law 14/2008 and Information Commission Regulation 1/2021.
- **Procedure:** as on the How to page.
- **Completion time:** at most 10 working days (+7 working days extension).
- **Fees:** as on the Fees page.
- **Guarantee:** information is given quickly, on time, at low cost and in a simple way.
- **Evaluation:** the pledge is evaluated every year.

[Place, date] — [name and position of the head of the public body]
"""

_FEES_ID = """\
Layanan informasi publik **tidak dipungut biaya**.

Biaya penggandaan atau pengiriman salinan dalam bentuk cetak (hardcopy) ditanggung pemohon sesuai
tarif berikut:

| Jenis | Biaya |
|---|---|
| Salinan elektronik (softcopy) melalui surel | Gratis |
| Fotokopi per lembar | [Rp …] |
| Pengiriman pos | Sesuai tarif jasa pengiriman |
"""

_FEES_EN = """\
The public-information service is **free of charge**.

The requester bears the cost of copying or sending printed copies (hardcopy) as follows:

| Item | Cost |
|---|---|
| Electronic copy (softcopy) by email | Free |
| Photocopy per page | [IDR …] |
| Postal delivery | At the courier's rate |
"""

_HOWTO_ID = """\
### Mengajukan permohonan informasi
1. Isi formulir permohonan di portal (menu Permohonan Informasi) atau datang ke meja layanan PPID.
2. Simpan nomor pendaftaran dan tautan pelacakan yang Anda terima.
3. PPID memberikan pemberitahuan tertulis paling lambat 10 hari kerja (dapat diperpanjang 7 hari kerja).

### Mengajukan keberatan
Jika permohonan ditolak, tidak ditanggapi, atau dijawab tidak sesuai, ajukan keberatan kepada Atasan
PPID melalui tautan pelacakan permohonan, paling lambat 30 hari kerja. Atasan PPID menjawab dalam
30 hari kerja. Jika tidak puas, Anda dapat mengajukan sengketa informasi ke Komisi Informasi dalam
14 hari kerja.

### Menyampaikan pengaduan
Pengaduan tentang pelayanan disampaikan melalui halaman Pengaduan. Identitas pengadu dapat dirahasiakan.
"""

_HOWTO_EN = """\
### Requesting information
1. Fill in the request form on the portal (Information requests) or visit the PPID service desk.
2. Keep the registration number and the tracking link you receive.
3. The PPID sends a written notice within 10 working days (extendable by 7 working days).

### Filing an objection
If the request is refused, not answered, or answered other than asked, file an objection with the
PPID's superior through the request's tracking link, within 30 working days. The superior answers
within 30 working days. If you are not satisfied, you may take the dispute to the Information
Commission within 14 working days.

### Complaints
Complaints about the service are sent through the Complaints page. The complainant's identity can be
kept confidential.
"""

_ACCESS_ID = """\
Kami berupaya agar layanan informasi publik dapat diakses semua orang, termasuk penyandang disabilitas.

- Halaman portal disusun dengan HTML semantik, label formulir, kontras warna yang cukup, dan dapat
  digunakan dengan papan ketik; diperiksa dengan axe-core.
- Laporan dan grafik disertai tabel data.
- Bantuan langsung: [layanan juru bahasa isyarat, huruf braille, atau pendampingan di meja layanan].
- Hambatan akses dapat dilaporkan melalui halaman Pengaduan atau [kontak].
"""

_ACCESS_EN = """\
We aim to make the public-information service accessible to everyone, including people with disabilities.

- Portal pages use semantic HTML, form labels, sufficient colour contrast and work with a keyboard;
  they are checked with axe-core.
- Reports and charts come with data tables.
- Personal assistance: [sign-language interpreter, braille, or assistance at the service desk].
- Report access barriers through the Complaints page or [contact].
"""

PAGES: dict[str, PageDefault] = {
    p.slug: p
    for p in (
        PageDefault(
            "profil-ppid", {"id": "Profil PPID", "en": "PPID profile"}, {"id": _PROFILE_ID, "en": _PROFILE_EN}
        ),
        PageDefault(
            "standar-layanan",
            {"id": "Standar Layanan Informasi Publik", "en": "Public information service standard"},
            {"id": _STANDARD_ID, "en": _STANDARD_EN},
        ),
        PageDefault(
            "sop",
            {"id": "Standar Operasional Prosedur", "en": "Standard operating procedures"},
            {"id": _SOP_ID, "en": _SOP_EN},
        ),
        PageDefault(
            "maklumat",
            {"id": "Maklumat Pelayanan", "en": "Service pledge"},
            {"id": _PLEDGE_ID, "en": _PLEDGE_EN},
        ),
        PageDefault("biaya", {"id": "Biaya Layanan", "en": "Fees"}, {"id": _FEES_ID, "en": _FEES_EN}),
        PageDefault(
            "tata-cara",
            {
                "id": "Tata Cara Permohonan, Keberatan dan Pengaduan",
                "en": "How to request, object and complain",
            },
            {"id": _HOWTO_ID, "en": _HOWTO_EN},
        ),
        PageDefault(
            "aksesibilitas",
            {"id": "Pernyataan Aksesibilitas", "en": "Accessibility statement"},
            {"id": _ACCESS_ID, "en": _ACCESS_EN},
        ),
    )
}


def language(lang: str | None) -> str:
    """The page language for a UI language: English for English, Indonesian otherwise."""
    return "en" if (lang or "").startswith("en") else "id"
