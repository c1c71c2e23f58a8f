package org.ntx.persistence;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.persistence.EntityManager;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * Closes a race in conditional updates: HAPI checks {@code If-Match} against the version it read, before it writes,
 * so two clients holding the same version could both succeed, the second overwriting the first unseen. Inside the
 * writing transaction this guard locks the resource's row and compares the version now committed with the one HAPI
 * read; if another update got in between, this one is refused with 409 and changes nothing.
 *
 * <p>Only requests that carry {@code If-Match} are guarded: an update without it asks for last-writer-wins, and every
 * such update is kept as its own version in the history anyway.
 */
public class IfMatchGuard {

    private final EntityManager entityManager;

    public IfMatchGuard(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void refuseIfOvertaken(IBaseResource previous, IBaseResource updated, RequestDetails request) {
        if (request == null || request.getHeader("If-Match") == null || previous == null) {
            return;
        }
        String readVersion = previous.getIdElement().getVersionIdPart();
        if (readVersion == null) {
            return;
        }
        List<?> committed = entityManager.createNativeQuery(
                        "SELECT RES_VER FROM HFJ_RESOURCE WHERE RES_TYPE = ?1 AND FHIR_ID = ?2 FOR UPDATE")
                .setParameter(1, previous.getIdElement().getResourceType())
                .setParameter(2, previous.getIdElement().getIdPart())
                .getResultList();
        if (committed.size() == 1 && !readVersion.equals(committed.get(0).toString())) {
            throw new ResourceVersionConflictException("Version " + readVersion + " of "
                    + previous.getIdElement().toUnqualifiedVersionless().getValue()
                    + " is no longer current: another update was stored first. Read the resource again and retry.");
        }
    }
}
