package io.modelward.portal.api;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import io.modelward.catalog.ArtifactInfo;
import io.modelward.catalog.CatalogFilter;
import io.modelward.catalog.CatalogQueries;
import io.modelward.catalog.CatalogService;
import io.modelward.catalog.ModelDetails;
import io.modelward.catalog.ModelSummary;
import io.modelward.catalog.RegisterModel;
import io.modelward.catalog.RegisterVersion;
import io.modelward.catalog.Task;
import io.modelward.catalog.VersionDetails;
import io.modelward.catalog.VersionState;
import io.modelward.catalog.license.LicenseVerdict;
import io.modelward.governance.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The catalog over REST: everything the portal pages do. */
@RestController
@RequestMapping("/api")
@Tag(name = "Catalog", description = "Models, versions, artifacts and approvals")
class CatalogApi {

    private final CatalogService catalog;
    private final CatalogQueries queries;
    private final ArtifactUploads transfers;

    CatalogApi(CatalogService catalog, CatalogQueries queries, ArtifactUploads transfers) {
        this.catalog = catalog;
        this.queries = queries;
        this.transfers = transfers;
    }

    @GetMapping("/models")
    @Operation(summary = "List models, newest version first; filters match any version")
    List<ModelSummary> models(@RequestParam(required = false) @Nullable String q,
            @RequestParam(required = false) @Nullable Task task,
            @RequestParam(required = false) @Nullable LicenseVerdict verdict,
            @RequestParam(required = false) @Nullable VersionState state) {
        return queries.search(new CatalogFilter(q, task, verdict, state));
    }

    @PostMapping("/models")
    @Operation(summary = "Register a model (researchers)")
    ResponseEntity<ModelSummary> register(Actor actor, @Valid @RequestBody RegisterModel command) {
        ModelSummary model = catalog.registerModel(actor, command);
        return ResponseEntity.created(URI.create("/api/models/" + model.name())).body(model);
    }

    @GetMapping("/models/{name}")
    ModelDetails model(@PathVariable String name) {
        return queries.model(name);
    }

    @PostMapping("/models/{name}/versions")
    @Operation(summary = "Register a version in DRAFT with its license, provenance and input spec (the model's owner)")
    ResponseEntity<VersionDetails> registerVersion(Actor actor, @PathVariable String name,
            @Valid @RequestBody RegisterVersion command) {
        VersionDetails version = catalog.registerVersion(actor, name, command);
        return ResponseEntity.created(URI.create("/api/models/" + name + "/versions/" + version.version()))
                .body(version);
    }

    @GetMapping("/models/{name}/versions/{version}")
    VersionDetails version(@PathVariable String name, @PathVariable String version) {
        return queries.version(name, version);
    }

    @PutMapping("/models/{name}/versions/{version}/artifacts/{kind}")
    @Operation(summary = "Upload the model file or labels of a DRAFT version as the raw request body",
            description = "Streams into the artifact store; SHA-256 and size are computed on the way. Rejected when "
                    + "the declared sha256 differs, the size limit is passed, the file is empty, or the archive is "
                    + "unsafe or not of the version's format.")
    ResponseEntity<ArtifactInfo> upload(Actor actor, @PathVariable String name, @PathVariable String version,
            @Parameter(description = "model or labels") @PathVariable String kind,
            @RequestParam(required = false) @Nullable String fileName,
            @Parameter(description = "expected SHA-256 (hex)") @RequestParam(required = false) @Nullable String sha256,
            HttpServletRequest request) throws IOException {
        return transfers.upload(actor, name, version, kind, fileName, sha256, request);
    }

    @GetMapping("/models/{name}/versions/{version}/artifacts/{kind}")
    ResponseEntity<InputStreamResource> download(@PathVariable String name, @PathVariable String version,
            @PathVariable String kind) throws IOException {
        return transfers.download(name, version, kind);
    }

    @PostMapping("/models/{name}/versions/{version}/submit")
    VersionDetails submit(Actor actor, @PathVariable String name, @PathVariable String version) {
        return catalog.submit(actor, name, version);
    }

    @PostMapping("/models/{name}/versions/{version}/approve")
    @Operation(summary = "Approve (an approver who is not the submitter); a REVIEW license needs a justification")
    VersionDetails approve(Actor actor, @PathVariable String name, @PathVariable String version,
            @RequestBody(required = false) @Nullable Decision decision) {
        return catalog.approve(actor, name, version, Decision.reason(decision));
    }

    @PostMapping("/models/{name}/versions/{version}/reject")
    VersionDetails reject(Actor actor, @PathVariable String name, @PathVariable String version,
            @RequestBody(required = false) @Nullable Decision decision) {
        return catalog.reject(actor, name, version, Decision.reason(decision));
    }

    @PostMapping("/models/{name}/versions/{version}/retire")
    VersionDetails retire(Actor actor, @PathVariable String name, @PathVariable String version,
            @RequestBody(required = false) @Nullable Decision decision) {
        return catalog.retire(actor, name, version, Decision.reason(decision));
    }

    @GetMapping("/approvals")
    @Operation(summary = "Versions waiting for a decision, oldest first")
    List<VersionDetails> approvals() {
        return queries.approvalQueue();
    }

    /** The body of a decision: why. */
    record Decision(@Nullable String reason) {

        static @Nullable String reason(@Nullable Decision decision) {
            return decision == null ? null : decision.reason();
        }
    }
}
