package org.ntx.profiles;

import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.jpa.term.api.ITermReadSvc;
import org.hl7.fhir.r4.model.ValueSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Start-up step: installs our FHIR package (fhir-profiles/, shipped in the jar as an NPM tarball) with HAPI's package
 * installer, so its StructureDefinitions, ValueSets and CodeSystems are stored resources that REST clients can read
 * and that {@code $expand}, {@code $validate-code} and {@code $validate} use; then expands every value set it ships
 * into HAPI's terminology tables and checks each expansion against the codes the package enumerates.
 *
 * <p>It runs before the web server starts, so the port opens only on a server that is what it claims to be: no
 * client, orchestrator or readiness probe ever meets a server whose profiles are not yet enforced or whose value sets
 * do not expand. A failure stops the start. Re-running on an existing database updates the resources in place.
 */
@Component
class PackageInstallStep implements SmartLifecycle {

    /**
     * Lifecycle beans start in ascending phase order. The embedded web server starts one step (1024) below its
     * graceful-shutdown phase; this runs a step below that, after every singleton exists and before the port opens.
     */
    static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;

    private static final Logger log = LoggerFactory.getLogger(PackageInstallStep.class);

    private final IPackageInstallerSvc installer;
    private final NaltrexonePackage fhirPackage;
    private final ITermDeferredStorageSvc deferredTerminology;
    private final ITermReadSvc terminology;
    private volatile boolean running;

    PackageInstallStep(IPackageInstallerSvc installer, NaltrexonePackage fhirPackage,
                       ITermDeferredStorageSvc deferredTerminology, ITermReadSvc terminology) {
        this.installer = installer;
        this.fhirPackage = fhirPackage;
        this.deferredTerminology = deferredTerminology;
        this.terminology = terminology;
    }

    @Override
    public void start() {
        PackageInstallationSpec spec = new PackageInstallationSpec()
                .setName(fhirPackage.name())
                .setVersion(fhirPackage.version())
                .setPackageContents(fhirPackage.tarball())
                .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
                // hl7.fhir.r4.core comes from HAPI's bundled validation resources; nothing can be downloaded here.
                .setFetchDependencies(false);
        PackageInstallOutcomeJson outcome = installer.install(spec);
        // HAPI stores large code systems and value set expansions later, on its scheduler (not yet running): do it now.
        deferredTerminology.saveAllDeferred();
        terminology.preExpandDeferredValueSetsToTerminologyTables();
        int codes = 0;
        for (Map.Entry<String, Set<String>> valueSet : fhirPackage.valueSetCodes().entrySet()) {
            codes += checkExpansion(valueSet.getKey(), valueSet.getValue());
        }
        log.info("Installed FHIR package {}#{}: {}; {} value sets expand ({} codes)", fhirPackage.name(),
                fhirPackage.version(), outcome.getResourcesInstalled(), fhirPackage.valueSetCodes().size(), codes);
        running = true;
    }

    private int checkExpansion(String url, Set<String> expected) {
        ValueSet expansion = terminology.expandValueSet(null, url);
        Set<String> actual = expansion.getExpansion().getContains().stream()
                .map(c -> c.getSystem() + "|" + c.getCode())
                .collect(Collectors.toCollection(TreeSet::new));
        if (!actual.equals(new TreeSet<>(expected))) {
            throw new IllegalStateException("Value set " + url + " expands to " + actual.size() + " codes, the package"
                    + " enumerates " + expected.size() + ": the server would answer $expand and validation wrongly");
        }
        return actual.size();
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
