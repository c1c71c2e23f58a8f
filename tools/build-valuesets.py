#!/usr/bin/env python3
"""Builds the FHIR package's value sets from the shared clinical reference data.

Usage: python3 tools/build-valuesets.py <path to shared/clinical> [<output dir, default fhir-profiles>]

The shared folder is not part of this repository, so the generated JSON is committed; rerun this script when the
shared value sets or codes.csv change. Inputs: codes.csv (RxNorm/LOINC/SNOMED/ICD-10-CM codes with their roles) and
valuesets/ (CDC opioid CDS value sets, CC0; VSAC eCQM expansions), see valuesets/MANIFEST.md for their origin.
Every value set gets an enumerated compose and the matching expansion, so $expand works offline.
"""
import csv
import json
import re
import sys
from pathlib import Path

CANONICAL = "https://ntx.example.org/fhir"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
EXPANSION_TIMESTAMP = "2026-11-23T00:00:00Z"
VERSION = "0.1.0"

CDC = "CDC Opioid Prescribing Support IG value sets (cqframework/opioid-cds-r4 @ b29bdcb, CC0-1.0)"
VSAC = "VSAC eCQM expansions (converted from canvas-medical/canvas-plugins @ 344f0bc; verify against VSAC)"
CODES = "project clinical reference codes.csv (REFERENCE.md §8)"

OPIOID_INGREDIENT_ROLES = ("opioid-agonist-ingredient", "opioid-partial-agonist-ingredient",
                           "opioid-agonist-antagonist-ingredient")


def load_codes(shared):
    with open(shared / "codes.csv", newline="") as f:
        return list(csv.DictReader(f))


def expansion(shared, name):
    data = json.loads((shared / "valuesets" / f"{name}.json").read_text())
    return [(c["system"], c["code"], c.get("display", "")) for c in data["expansion"]["contains"]]


def by_role(codes, predicate):
    return [(r["system"], r["code"], r["display"]) for r in codes if predicate(r["role"])]


def unique(concepts):
    seen, out = set(), []
    for system, code, display in concepts:
        if (system, code) not in seen:
            seen.add((system, code))
            out.append((system, code, display))
    return sorted(out, key=lambda c: (c[0], c[1]))


def value_set(vs_id, title, description, concepts):
    concepts = unique(concepts)
    systems = {}
    for system, code, display in concepts:
        systems.setdefault(system, []).append({"code": code, "display": display} if display else {"code": code})
    return {
        "resourceType": "ValueSet",
        "id": vs_id,
        "url": f"{CANONICAL}/ValueSet/{vs_id}",
        "version": VERSION,
        "name": "".join(p.capitalize() for p in vs_id.split("-")),
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": "Naltrexone FHIR Service",
        "description": description,
        "compose": {"include": [{"system": s, "concept": c} for s, c in systems.items()]},
        "expansion": {
            "identifier": f"urn:uuid:{vs_id}-{VERSION}",
            "timestamp": EXPANSION_TIMESTAMP,
            "total": len(concepts),
            "contains": [dict(system=s, code=c, **({"display": d} if d else {})) for s, c, d in concepts],
        },
    }


def main():
    shared = Path(sys.argv[1])
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "fhir-profiles")
    codes = load_codes(shared)

    naltrexone_products = [(RXNORM, "1483744", "naltrexone hydrochloride 50 MG Oral Tablet"),
                           (RXNORM, "637213", "naltrexone 380 MG Injection")]
    other_blockers = by_role(codes, lambda role: role.startswith("samidorphan-antagonist-product")
                             or role.startswith("naltrexone-containing-non-OUD-product"))

    agonist_sources = ["vsac-opioids-all", "opioid-analgesics-with-ambulatory-misuse-potential",
                       "buprenorphine-medications", "methadone-medications", "buprenorphine-and-methadone-medications",
                       "fentanyl-type-medications", "synthetic-opioid-medications", "non-synthetic-opioid-medications",
                       "oxycodone-medications", "extended-release-opioid-with-ambulatory-misuse-potential",
                       "vsac-schedule-ii-iii-and-iv-opioid-medications"]
    pool = [c for name in agonist_sources for c in expansion(shared, name)]
    pool += by_role(codes, lambda role: role.startswith("opioid-agonist-product")
                    or role.startswith("opioid-agonist-ER-product") or role.startswith("opioid-agonist-injectable")
                    or role.startswith("moud-"))
    ingredients = by_role(codes, lambda role: role.startswith(OPIOID_INGREDIENT_ROLES))
    sequestered = [c for c in pool if "naltrexone" in c[2].lower()]
    sequestered += by_role(codes, lambda role: "sequestered naltrexone" in role)
    # Pure antagonists and the peripheral agonist loperamide are not opioid agonists for these rules.
    pure_antagonist = re.compile(r"^(\d+ ML )?(naloxone|nalmefene|naltrexone|samidorphan)\b", re.I)
    agonists = [c for c in pool + ingredients
                if "naltrexone" not in c[2].lower() and not pure_antagonist.search(c[2])
                and "loperamide" not in c[2].lower()]

    long_acting_pattern = re.compile(r"extended release|transdermal|\b(12|24|72) hr\b|methadone|buprenorphine", re.I)
    long_acting = [c for c in agonists if long_acting_pattern.search(c[2])]
    long_acting += [c for name in ["extended-release-opioid-with-ambulatory-misuse-potential",
                                   "buprenorphine-medications", "methadone-medications"]
                    for c in expansion(shared, name) if "naltrexone" not in c[2].lower()]
    long_acting += [c for c in ingredients if c[1] in ("6813", "1819")]

    uds_sources = ["opioid-urine-drug-screening", "general-opiate-urine-drug-screening-tests",
                   "opiate-specific-urine-drug-screening-tests", "fentanyl-type-urine-drug-screening-tests",
                   "buprenorphine-urine-drug-screening-tests", "methadone-urine-drug-screening-tests",
                   "heroin-urine-drug-screening-tests", "oxycodone-urine-drug-screening-tests",
                   "synthetic-opioid-urine-drug-screening-tests"]
    uds = [c for name in uds_sources for c in expansion(shared, name)]
    uds += by_role(codes, lambda role: role.startswith("uds-"))

    liver_tests = by_role(codes, lambda role: role.startswith("lft-"))
    # Further ALT/AST codes labs use (P-5'-P methods, blood): ALT from the dQM CMS content IG value set "ALT lab tests"
    # and the Lithuanian laboratory IG "ALT method" (tx.fhir.org expansions, LOINC 2.82); AST from VSAC "Aspartate
    # transaminase lab test" (2.16.840.1.113762.1.4.1248.224).
    liver_tests += [(LOINC, "1743-4", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma by With P-5'-P"),
                    (LOINC, "1744-2", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma by No addition of P-5'-P"),
                    (LOINC, "76625-3", "Alanine aminotransferase [Enzymatic activity/volume] in Blood")]
    liver_tests += [c for c in expansion(shared, "vsac-aspartate-transaminase-lab-test")]
    liver_conditions = by_role(codes, lambda role: role.startswith("condition-liver-"))
    oud = by_role(codes, lambda role: role.startswith("condition-oud"))
    oud += [c for c in expansion(shared, "opioid-misuse-disorders") if "withdrawal" not in c[2].lower()]
    aud = by_role(codes, lambda role: role.startswith("condition-aud"))
    aud += [c for c in expansion(shared, "vsac-alcohol-and-drug-dependence")
            if "alcohol" in c[2].lower() and "withdrawal" not in c[2].lower()]

    sets = [
        value_set("naltrexone-products", "Naltrexone products",
                  f"Oral naltrexone 50 mg tablet and the 380 mg extended-release injection (RxNorm SCDs). Source: {CODES}.",
                  naltrexone_products),
        value_set("opioid-blocking-drugs", "Opioid-blocking drugs",
                  "Products whose antagonist blocks exogenous opioids: naltrexone products, olanzapine/samidorphan and "
                  "bupropion/naltrexone. NOT agonist products with sequestered naltrexone (morphine/naltrexone), which "
                  f"are opioids (REFERENCE.md §7). Source: {CODES}.",
                  naltrexone_products + other_blockers),
        value_set("opioid-agonists", "Opioid agonists and partial agonists",
                  "Opioid agonist and partial agonist products (oral, injectable, transdermal, nasal, antitussive "
                  "combinations, buprenorphine included) and opioid ingredient codes. Union of " + ", ".join(agonist_sources)
                  + f" ({CDC}; {VSAC}) and {CODES}; excludes pure antagonists, loperamide, and agonist products with "
                  "sequestered naltrexone, which have their own value set.",
                  agonists),
        value_set("opioid-agonists-with-sequestered-antagonist", "Opioid agonists with sequestered naltrexone",
                  "Abuse-deterrent agonist products that contain sequestered naltrexone (morphine/naltrexone, "
                  "oxycodone/naltrexone). They are opioids for the blockade-conflict rule, not blockers "
                  f"(REFERENCE.md §7). Selected by display from the agonist sources above and {CODES}.",
                  sequestered),
        value_set("long-acting-opioids", "Long-acting opioids",
                  "Methadone, buprenorphine, extended-release and transdermal opioids: the longer opioid-free interval "
                  "before naltrexone applies (REFERENCE.md §2). CDC extended-release, methadone and buprenorphine "
                  f"medication sets ({CDC}), agonists whose name says extended release or transdermal, and the methadone "
                  "and buprenorphine ingredient codes.",
                  long_acting),
        value_set("liver-tests", "Liver function tests",
                  "ALT, AST (every LOINC code for them in serum, plasma or blood the sources list), alkaline"
                  " phosphatase, GGT, total bilirubin and the hepatic function panel (LOINC). Sources: "
                  f"{CODES}; dQM CMS content IG and Lithuanian laboratory IG ALT value sets; VSAC Aspartate"
                  " transaminase lab test (2.16.840.1.113762.1.4.1248.224).",
                  liver_tests),
        value_set("opioid-urine-drug-screens", "Opioid urine drug screens",
                  f"Urine drug screens for opioids: " + ", ".join(uds_sources) + f" ({CDC}) and the screening codes of {CODES}.",
                  uds),
        value_set("liver-conditions", "Liver conditions",
                  "Acute hepatitis, liver failure and cirrhosis (SNOMED CT and ICD-10-CM), the conditions the liver "
                  f"rule reads (REFERENCE.md §5). Source: {CODES}.",
                  liver_conditions),
        value_set("oud-aud-conditions", "Opioid and alcohol use disorders",
                  "Indications for naltrexone: opioid use disorder (CDC opioid-misuse-disorders without withdrawal "
                  f"codes, {CDC}) and alcohol use disorder (alcohol codes of VSAC Alcohol and Drug Dependence, {VSAC}), "
                  f"plus {CODES}.",
                  oud + aud),
    ]
    for vs in sets:
        (out / f"ValueSet-{vs['id']}.json").write_text(json.dumps(vs, indent=2, ensure_ascii=False) + "\n")
        print(f"{vs['id']}: {vs['expansion']['total']} codes")


if __name__ == "__main__":
    main()
