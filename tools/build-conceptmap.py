#!/usr/bin/env python3
"""Builds fhir-profiles/ConceptMap-ndc-to-rxnorm.json from tools/ndc-rxnorm.csv.

Usage: python3 tools/build-conceptmap.py

Each CSV row is one NDC package with the RxNorm concept it maps to and the public source of the mapping (FDA NDC
Directory records as served by openFDA, package inserts, or the RxNorm concepts of the shipped value sets). NDCs are
written in the 11-digit 5-4-2 form HIPAA uses; the published hyphenated form is kept in each element's display.
"""
import csv
import json
from pathlib import Path

CANONICAL = "https://ntx.example.org/fhir"
VERSION = "0.1.0"


def eleven_digits(ndc):
    labeler, product, package = ndc.split("-")
    return labeler.zfill(5) + product.zfill(4) + package.zfill(2)


def main():
    root = Path(__file__).resolve().parent.parent
    rows = list(csv.DictReader(open(root / "tools" / "ndc-rxnorm.csv", newline="")))
    elements = []
    for row in sorted(rows, key=lambda r: eleven_digits(r["ndc"])):
        elements.append({
            "code": eleven_digits(row["ndc"]),
            "display": "NDC " + row["ndc"],
            "target": [{"code": row["rxnorm"], "display": row["rxnorm_display"],
                        "equivalence": row["equivalence"], "comment": row["source"]}],
        })
    concept_map = {
        "resourceType": "ConceptMap",
        "id": "ndc-to-rxnorm",
        "url": f"{CANONICAL}/ConceptMap/ndc-to-rxnorm",
        "version": VERSION,
        "name": "NdcToRxnorm",
        "title": "NDC to RxNorm for naltrexone and opioid products",
        "status": "active",
        "experimental": False,
        "publisher": "Naltrexone FHIR Service",
        "description": "National Drug Codes (11-digit 5-4-2 form) of naltrexone and opioid products met in pharmacy and"
                       " medication administration records, each mapped to the RxNorm concept the service classifies."
                       " Every element's target comment cites the public source of the mapping. Built by"
                       " tools/build-conceptmap.py from tools/ndc-rxnorm.csv.",
        "group": [{"source": "http://hl7.org/fhir/sid/ndc",
                   "target": "http://www.nlm.nih.gov/research/umls/rxnorm",
                   "element": elements}],
    }
    out = root / "fhir-profiles" / "ConceptMap-ndc-to-rxnorm.json"
    out.write_text(json.dumps(concept_map, indent=2, ensure_ascii=False) + "\n")
    print(f"ndc-to-rxnorm: {len(elements)} NDCs")


if __name__ == "__main__":
    main()
