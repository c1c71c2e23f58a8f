package org.ntx.profiles;

/**
 * The canonical URLs of our FHIR package, in one place. They match {@code fhir-profiles/package.json}'s canonical; a
 * unit test checks that every URL here names a resource the package ships.
 */
public final class Canonicals {

    public static final String BASE = "https://ntx.example.org/fhir";
    public static final String CODE_SYSTEM = BASE + "/CodeSystem/ntx";
    public static final String STRUCTURE_DEFINITION_BASE = BASE + "/StructureDefinition/";

    private Canonicals() {}
}
