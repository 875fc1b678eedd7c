"""The one bibliography: every source key used by constants, warnings, fields and pages.

Records follow the evidence base in ``evidence/`` (``evidence/sources.md`` lists every key
with its status; ``tests/site/test_evidence_base.py`` checks that the two agree). Links go to
canonical records only: doi.org, PubMed, DailyMed. Never a mirror site.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SOURCES", "Source", "resolve"]


@dataclass(frozen=True)
class Source:
    """One reference.

    ``identifiers`` are canonical (DOI, PMID, DailyMed set ID); ``access`` says how the
    evidence base saw it: ``primary`` (the record itself), ``reproduction`` (a faithful
    copy such as a drug handbook), ``bibliographic`` (record only, text not seen) or
    ``seed`` (the unreferenced document this project started from).
    """

    key: str
    citation: str
    access: str
    doi: str | None = None
    pmid: str | None = None
    setid: str | None = None
    note: str = ""

    @property
    def url(self) -> str | None:
        """The canonical link: DOI first, then PubMed, then DailyMed."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.setid_url

    @property
    def setid_url(self) -> str | None:
        """The DailyMed page of the label with this set ID; None without one."""
        if self.setid:
            return f"https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={self.setid}"
        return None

    def links(self) -> list[tuple[str, str]]:
        """Every canonical identifier as ``(label, url)``."""
        out: list[tuple[str, str]] = []
        if self.doi:
            out.append((f"doi:{self.doi}", f"https://doi.org/{self.doi}"))
        if self.pmid:
            out.append((f"PMID {self.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"))
        if self.setid_url:
            out.append((f"DailyMed set ID {self.setid}", self.setid_url))
        return out


_RECORDS = (
    Source(
        key="boster2016",
        citation=(
            "Boster AL, et al. "
            "Best Practices for Intrathecal Baclofen Therapy: Dosing and Long-Term Management. "
            "Neuromodulation. 2016;19(6):623-631."
        ),
        access="primary",
        doi="10.1111/ner.12388",
        pmid="27433993",
        note="Expert consensus, not a label.",
    ),
    Source(
        key="boster2016screen",
        citation=(
            "Boster AL, Bennett SE, Bilsky GS, Gudesblatt M, Koelbel SF, McManus M, Saulino M. "
            "Best Practices for Intrathecal Baclofen Therapy: Screening Test. "
            "Neuromodulation. 2016;19(6):616-622."
        ),
        access="primary",
        doi="10.1111/ner.12437",
    ),
    Source(
        key="saulino2016",
        citation=(
            "Saulino M, Ivanhoe CB, McGuire JR, Ridley B, Shilt JS, Boster AL. "
            "Best Practices for Intrathecal Baclofen Therapy: Patient Selection. "
            "Neuromodulation. 2016;19(6):607-615."
        ),
        access="primary",
        doi="10.1111/ner.12447",
        pmid="27434197",
    ),
    Source(
        key="dario2004",
        citation=(
            "Dario A, Tomei G. A benefit-risk assessment of baclofen in severe spinal spasticity. "
            "Drug Saf. 2004;27(11):799-818."
        ),
        access="primary",
        doi="10.2165/00002018-200427110-00004",
        pmid="15350152",
    ),
    Source(
        key="agarwal2015",
        citation=(
            "Agarwal SK, Kriel RL, Cloyd JC, Coles LD, Scherkenbach LA, Tobin MH, Krach LE. "
            "A pilot study assessing pharmacokinetics and tolerability of oral and intravenous "
            "baclofen in healthy adult volunteers. J Child Neurol. 2015;30(1):37-41."
        ),
        access="primary",
        doi="10.1177/0883073814535504",
        pmid="25028414",
        note="Intravenous baclofen was investigational in this study.",
    ),
    Source(
        key="schmitz2017",
        citation=(
            "Schmitz NS, Krach LE, Coles LD, Mishra U, Agarwal SK, Cloyd JC, Kriel RL. "
            "A Randomized Dose Escalation Study of Intravenous Baclofen in Healthy Volunteers: "
            "Clinical Tolerance and Pharmacokinetics. PM R. 2017;9(8):743-750."
        ),
        access="primary",
        doi="10.1016/j.pmrj.2016.11.002",
        note="Trial NCT01931319. Intravenous baclofen was investigational in this study.",
    ),
    Source(
        key="vlavonou2014",
        citation=(
            "Vlavonou R, et al. Pharmacokinetic characterization of baclofen in patients with "
            "chronic kidney disease: dose adjustment recommendations. J Clin Pharmacol. "
            "2014;54(5):584-592."
        ),
        access="primary",
        doi="10.1002/jcph.247",
        pmid="24414993",
    ),
    Source(
        key="wolf2018",
        citation=(
            "Wolf E, Kothari NR, Roberts JK, Sparks MA. Baclofen Toxicity in Kidney Disease. "
            "Am J Kidney Dis. 2018;71(2):275-280."
        ),
        access="primary",
        doi="10.1053/j.ajkd.2017.07.005",
        pmid="28899601",
    ),
    Source(
        key="label-tablets",
        citation="Baclofen Tablets USP. US prescribing information (updated 2021-02-08).",
        access="primary",
        setid="b4f2f888-979a-6f54-e053-2a95a90a95a3",
    ),
    Source(
        key="label-ozobax",
        citation="OZOBAX (baclofen) oral solution 5 mg/5 mL. US prescribing information (2021).",
        access="primary",
        setid="92153f69-bc9b-4bef-9a8e-751effde5c7e",
    ),
    Source(
        key="label-gablofen",
        citation=(
            "GABLOFEN (baclofen injection) for intrathecal use. US prescribing information "
            "(updated 2025-03-28)."
        ),
        access="primary",
        setid="00d3e846-dd92-448d-9ab8-6a07be823cc1",
    ),
    Source(
        key="label-lioresal-it",
        citation=(
            "LIORESAL INTRATHECAL (baclofen injection). US prescribing information "
            "(Saol Therapeutics, January 2019)."
        ),
        access="reproduction",
        note=(
            "Seen through a faithful reproduction of the January 2019 version; no DailyMed set "
            "ID was recorded for it (third review, N4). Source of the intrathecal overdose "
            "section (status R) and of the 50 mcg/mL ampule being for the screening dose (P)."
        ),
    ),
    Source(
        key="listing-ozobax-ds",
        citation="OZOBAX DS (baclofen) oral solution 2 mg/mL. Product listing, NDC 69528-302.",
        access="primary",
        note="The 2 mg/mL strength's own listing; the ISMP alert does not name it.",
    ),
    Source(
        key="listings-generic-solutions",
        citation=(
            "US National Drug Code (NDC) directory listings of generic baclofen oral "
            "liquids: 1 mg/mL (5 mg/5 mL; NDC 73352-103), 2 mg/mL (10 mg/5 mL; NDC "
            "52817-620) and 5 mg/mL (NDC 62559-204)."
        ),
        access="primary",
        note=(
            "Listing records (the FDA's NDC directory, read through openFDA), not labels: "
            "examples showing that generic products exist at each strength, not a complete "
            "list; the dosage form (solution or suspension) was not recorded for each. Which "
            "products are marketed changes over time."
        ),
    ),
    Source(
        key="ismp-liquids",
        citation=(
            "Institute for Safe Medication Practices (ISMP). Different concentrations of oral "
            "liquid baclofen (safety alert on OZOBAX 1 mg/mL and FLEQSUVY 5 mg/mL)."
        ),
        access="primary",
        note="Safety alert; no DOI or PMID.",
    ),
    Source(
        key="neurosurgery2004",
        citation=(
            "Correlation between withdrawal symptoms and medication pump residual volume in "
            "patients with implantable SynchroMed pumps. Neurosurgery. 2004;55(2):390-393; "
            "discussion 393-394."
        ),
        access="primary",
        doi="10.1227/01.neu.0000129698.73730.e4",
        pmid="15271246",
        note=(
            "Authors not verified: the PubMed record seen gave the title, journal and abstract "
            "but not the author list. A retrospective review of 88 patients with SynchroMed "
            "pumps, not all of them holding baclofen; its abstract reports that symptoms did "
            "not correlate with the drugs used in the pump."
        ),
    ),
    Source(
        key="vadod2019",
        citation=(
            "Department of Veterans Affairs and Department of Defense. VA/DoD Clinical Practice "
            "Guideline for the Management of Stroke Rehabilitation, Version 4.0 (2019); "
            "updated 2024."
        ),
        access="bibliographic",
        note="Bibliographic record only: its baclofen text was not reachable.",
    ),
    Source(
        key="cockcroft1976",
        citation=(
            "Cockcroft DW, Gault MH. Prediction of creatinine clearance from serum creatinine. "
            "Nephron. 1976;16(1):31-41."
        ),
        access="primary",
        doi="10.1159/000180580",
        pmid="1244564",
    ),
    Source(
        key="cmsc2015",
        citation=(
            "Saulino M, Gudesblatt M. Best Practices in Intrathecal Baclofen Therapy: Dosing and "
            "Long-Term Management. Consortium of Multiple Sclerosis Centers (CMSC) Annual "
            "Meeting 2015, abstract CC13 (Paper 3434)."
        ),
        access="primary",
        note="Conference abstract (the same group as boster2016); no DOI or PMID.",
    ),
    Source(
        key="ismp-flex",
        citation=(
            "Institute for Safe Medication Practices (ISMP). Baclofen programming error with "
            "SynchroMed II pump; facility not made aware of company's software updates."
        ),
        access="primary",
        note="Medication safety alert (an incident report); no DOI or PMID.",
    ),
    Source(
        key="maino2017",
        citation=(
            "Maino P, Perez RSGM, Koetsier E. [Refill volume discrepancies in intrathecal "
            "pumps; title not recorded by the evidence base.] Neuromodulation. "
            "2017;20(7):733-739."
        ),
        access="primary",
        note="Seen as the abstract.",
    ),
    Source(
        key="wesemann2014",
        citation=(
            "Wesemann K, Coffey RJ, Wallace MS, Tan Y, Broste S, Buvanendran A. Clinical "
            "accuracy and safety using the SynchroMed II intrathecal drug infusion pump. "
            "Reg Anesth Pain Med. 2014;39(4):341-346."
        ),
        access="primary",
        doi="10.1097/AAP.0000000000000107",
        note="Seen as the abstract. Industry-sponsored (Medtronic).",
    ),
    Source(
        key="pocketfill2011",
        citation=(
            "Report of pocket fills during intrathecal pump refills (Medtronic: 351 reports, "
            "eight lethal). Pain Med. 2011."
        ),
        access="primary",
        doi="10.1111/j.1526-4637.2011.01090.x",
        note="Seen as the abstract; its authors were not verified by the evidence base.",
    ),
    Source(
        key="meythaler2003",
        citation=(
            "Meythaler JM, Roper JF, Brunner RC. Cyproheptadine for intrathecal baclofen "
            "withdrawal. Arch Phys Med Rehabil. 2003;84:638-642."
        ),
        access="primary",
        note=(
            "A descriptive case series of four patients (article copy seen); no DOI or PMID "
            "recorded."
        ),
    ),
    Source(
        key="he2014",
        citation=(
            "He Y, Brunstrom-Hernandez JE, Thio LL, et al. Population pharmacokinetics of oral "
            "baclofen in pediatric patients with cerebral palsy. J Pediatr. "
            "2014;164(5):1181-1188.e8."
        ),
        access="primary",
        doi="10.1016/j.jpeds.2014.01.029",
        pmid="24607242",
        note=(
            "Seen as the abstract (49 children aged 2 to 17 years). Its weight-based dose is a "
            "research finding; oral baclofen below 12 years is off-label in the United States."
        ),
    ),
    Source(
        key="delgado2010",
        citation=(
            "Delgado MR, Hirtz D, Aisen M, et al. Practice Parameter: Pharmacologic treatment of "
            "spasticity in children and adolescents with cerebral palsy (an evidence-based "
            "review). Report of the Quality Standards Subcommittee of the American Academy of "
            "Neurology and the Practice Committee of the Child Neurology Society. Neurology. "
            "2010;74(4):336-343."
        ),
        access="primary",
        doi="10.1212/WNL.0b013e3181cbcd2f",
        note="Seen as the abstract (publisher's record). PMID not recorded.",
    ),
    Source(
        key="hazer2021",
        citation=(
            "Hazer B, Onder FO, Metli NB, Aslan SB, Yalcin E, Akyuz M. Accuracy of the methods "
            "used to estimate glomerular filtration rate compared to 24-hour urinary creatinine "
            "clearance in patients with chronic spinal cord injury. J Spinal Cord Med. 2021."
        ),
        access="primary",
        doi="10.1080/10790268.2021.1975084",
        note=(
            "Seen as the abstract. Title and authors as given by the authors' university "
            "publication record, which carries the same DOI; volume and pages not recorded; "
            "PMID not recorded."
        ),
    ),
    Source(
        key="label-lyvispah",
        citation="LYVISPAH (baclofen) oral granules. US prescribing information.",
        access="primary",
        setid="f8992a56-9010-4c4b-84d5-ddcc3e2c3317",
        note="Set ID as recorded by openFDA. The feeding-tube sizes were seen only in a "
        "reproduction (status R).",
    ),
    Source(
        key="medtronic-pump",
        citation=(
            "Medtronic. SynchroMed II implantable drug infusion system: patient and clinician "
            "information pages (battery life, elective replacement indicator, alarms)."
        ),
        access="primary",
        note="Manufacturer pages; no DOI or PMID.",
    ),
    Source(
        key="stability2023",
        citation=(
            "A 2023 study of baclofen stability in implanted intrathecal pumps (19 patients, 25 "
            "samples of 2 mg/mL baclofen, refill intervals up to 367 days). Authors, journal and "
            "DOI not identified."
        ),
        access="reproduction",
        note=(
            "Its abstract was seen only on a mirror page (search for issue 23, 2026-12-07); its "
            'copyright line reads "2023 The Authors. Published by Elsevier". No bibliographic '
            "record (authors, journal, DOI, PMID) was found; the mirror page's address held the "
            "number 38043050, which may be its PMID (not verified). Until the record is "
            "identified, the site quotes no figure from it and no calculator warning rests on it."
        ),
    ),
    Source(
        key="uk-smpc",
        citation=(
            "Baclofen tablets (UK). Summary of Product Characteristics (SmPC), sections 4.2 "
            "(posology, including children) and 4.4 (stopping treatment)."
        ),
        access="reproduction",
        note=(
            "Seen through formularies and reproductions (status V2); the version and its date "
            "of revision were not recorded and were not found. Source of the 100 mg/day adult "
            "maximum and the UK doses in children. The taper wording earlier credited to it was "
            "seen only as CSM advice carried by the BNF (see bnf)."
        ),
    ),
    Source(
        key="bnf",
        citation=(
            "British National Formulary (BNF) and BNF for Children (BNFc): baclofen monograph."
        ),
        access="reproduction",
        note=(
            "A formulary that reproduces the UK SmPC doses; the edition and its date were not "
            "recorded and were not found. Cited beside uk-smpc for the UK doses in children, "
            "and for the CSM advice to withdraw over at least 1 to 2 weeks, or longer if "
            "symptoms occur."
        ),
    ),
    Source(
        key="ca-monograph",
        citation=(
            "LIORESAL (baclofen) 10 mg and 20 mg tablets. Product Monograph. Novartis "
            "Pharmaceuticals Canada Inc. (the version found: date of revision 2020-05-07, "
            "control no. 235825)."
        ),
        access="reproduction",
        note=(
            "Seen only through a document-sharing copy (status V2). The wording this site "
            'quotes ("very cautious dosage schedule" in older patients and in spasticity of '
            "cerebral origin; about 5 mg a day on dialysis; stopping over 1 to 2 weeks) was "
            "recorded by the evidence base from reproductions whose version was not recorded."
        ),
    ),
    Source(
        key="au-pi",
        citation=(
            "Baclofen tablets (LIORESAL and generics). Australian Product Information (PI), as "
            "summarised by the Therapeutic Goods Administration's safety communication on "
            "baclofen (2024)."
        ),
        access="reproduction",
        note=(
            "The TGA page states that the PI's optimum dosage \"ranges from 30 to 75 mg daily, "
            "although occasionally doses up to 100 mg daily may be necessary in hospitalised "
            'patients". The PI itself was not seen; its date was not recorded.'
        ),
    ),
    Source(
        key="non-us-labels",
        citation=(
            "Superseded catch-all record for non-US product information; now split into "
            "uk-smpc, bnf, ca-monograph and au-pi."
        ),
        access="reproduction",
        note=(
            "No calculator, constant or warning cites it any more; the record is kept so that "
            "the Evidence page can name what the split replaced."
        ),
    ),
    Source(
        key="pump-secondary",
        citation=(
            "Secondary descriptions of the SynchroMed II implantable pump (reservoir sizes of "
            "20 and 40 mL)."
        ),
        access="reproduction",
        note=(
            "Seen only in secondary sources (status V2 in the evidence base); no canonical "
            "record is held. The SynchroMed II labeling (models 8637-20 and 8637-40, whose "
            "model numbers name the two sizes) was searched for and its reservoir text was not "
            "seen."
        ),
    ),
    Source(
        key="kao2003",
        citation=(
            "Kao LW, Amin Y, Kirk MA, Turner MS. Intrathecal baclofen withdrawal mimicking "
            "sepsis. J Emerg Med. 2003;24(4):423-427."
        ),
        access="primary",
        doi="10.1016/S0736-4679(03)00039-8",
        note=(
            "Seen as the abstract (publisher's record): a case report of a 4-year-old boy, with "
            "a review of the withdrawal syndrome and its treatment. PMID not recorded."
        ),
    ),
    Source(
        key="medtronic-fa596",
        citation=(
            "Medtronic. Urgent Field Safety Notice FA596 Phase II: SynchroMed II implantable "
            "drug infusion pump, update to the March 2014 communication on overinfusion. "
            "October 2016."
        ),
        access="reproduction",
        note=(
            "Manufacturer's safety notice, read in a reproduction (status R): the low "
            'reservoir alarm is calculated from the programmed delivery rate and "is not a '
            'direct measurement of the actual drug volume in the pump reservoir".'
        ),
    ),
    Source(
        key="medtronic-mri",
        citation=(
            "Medtronic. The effects of magnetic resonance imaging (MRI) on Medtronic drug "
            "infusion systems: SynchroMed II, all models beginning with 8637 (clinician MRI "
            "guidelines page)."
        ),
        access="primary",
        note=(
            "Manufacturer's page (status P): the MRI magnet stops the pump motor for the "
            "exposure; recovery may be delayed by 2 to 24 hours; motor stall is logged and "
            "sounds the two-tone alarm. The current MRI guidelines manual (8637, 8472) was not "
            "read in full."
        ),
    ),
    Source(
        key="tga-synchromed-mri",
        citation=(
            "Therapeutic Goods Administration (Australia). SynchroMed II Infusion Pump: caution "
            "after MRI (implant hazard alert, Medtronic Australasia, model 8637)."
        ),
        access="primary",
        note=(
            "Regulator's page: a pump that enters telemetry mode during an MRI while it is "
            "sounding an alarm does not resume infusion until it is interrogated after the scan."
        ),
    ),
    Source(
        key="delhaas2017",
        citation=(
            "Delhaas EM, Harhangi BS, Frankema SPG, Huygen FJPM, van der Lugt A. Plain "
            "radiography in patients treated with intrathecal drug delivery using an implantable "
            "pump device. Insights Imaging. 2017;8(5):499-511."
        ),
        access="primary",
        doi="10.1007/s13244-017-0568-z",
        pmid="28840489",
        note="Seen as the abstract (open-access record). A narrative overview from one centre.",
    ),
    Source(
        key="dvorak2010",
        citation=(
            "Dvorak EM, McGuire JR, Nelson MES. Incidence and identification of intrathecal "
            "baclofen catheter malfunction. PM R. 2010."
        ),
        access="primary",
        doi="10.1016/j.pmrj.2010.01.016",
        note=(
            "Seen as the abstract (a retrospective review of 167 adults, 37 catheter revisions). "
            "Volume and pages not recorded; PMID not recorded."
        ),
    ),
    Source(
        key="crc2021",
        citation=(
            "Low rate of intrathecal baclofen pump catheter-related complications: long-term "
            "study in over 100 adult patients associated with reinforced catheter. "
            "Neuromodulation. 2021;24(7):1176-1180."
        ),
        access="primary",
        doi="10.1111/ner.13412",
        pmid="33974333",
        note=(
            "Seen as the abstract (PubMed record); authors not recorded. A retrospective single-"
            "centre cohort (126 adults with reinforced catheters)."
        ),
    ),
    Source(
        key="devine1974",
        citation=(
            "Devine BJ. Gentamicin therapy. Drug Intell Clin Pharm 1974;8:650-655 (the ideal "
            "body weight formula: 50 kg for men, 45.5 kg for women, + 2.3 kg per inch over "
            "5 feet)."
        ),
        access="bibliographic",
        note=(
            "The formula was seen only as reproduced by clinical calculators (status R); the "
            "1974 article was not read. Used only to show the clearance by ideal and adjusted "
            "weight beside the actual one, never to choose a dose."
        ),
    ),
    Source(
        key="seed",
        citation=(
            "The seed document of this project: an unreferenced, AI-written summary of baclofen "
            "dosing (seeds/000_ab173b489eb0ec12.txt in this repository)."
        ),
        access="seed",
        note="Used as an outline only. Where it disagrees with a primary source, both are shown.",
    ),
)

SOURCES: dict[str, Source] = {record.key: record for record in _RECORDS}


def resolve(key: str) -> Source:
    """Return the source for ``key``; raise ``KeyError`` naming the known keys otherwise."""
    try:
        return SOURCES[key]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise KeyError(f"unknown source key {key!r}; known keys: {known}") from None
