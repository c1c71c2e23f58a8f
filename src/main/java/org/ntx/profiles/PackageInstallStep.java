package org.ntx.profiles;

import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Start-up step: installs our FHIR package (fhir-profiles/, shipped in the jar as an NPM tarball) with HAPI's package
 * installer, so its StructureDefinitions, ValueSets and CodeSystems are stored resources that REST clients can read
 * and that {@code $expand}, {@code $validate-code} and {@code $validate} use. Runs before the server reports ready;
 * re-running on an existing database updates the resources in place.
 */
@Component
@Order(0)
class PackageInstallStep implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(PackageInstallStep.class);

    private final IPackageInstallerSvc installer;
    private final NaltrexonePackage fhirPackage;

    PackageInstallStep(IPackageInstallerSvc installer, NaltrexonePackage fhirPackage) {
        this.installer = installer;
        this.fhirPackage = fhirPackage;
    }

    @Override
    public void run(ApplicationArguments args) {
        PackageInstallationSpec spec = new PackageInstallationSpec()
                .setName(fhirPackage.name())
                .setVersion(fhirPackage.version())
                .setPackageContents(fhirPackage.tarball())
                .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
                // hl7.fhir.r4.core comes from HAPI's bundled validation resources; nothing can be downloaded here.
                .setFetchDependencies(false);
        PackageInstallOutcomeJson outcome = installer.install(spec);
        log.info("Installed FHIR package {}#{}: {}", fhirPackage.name(), fhirPackage.version(),
                outcome.getResourcesInstalled());
    }
}
