package io.modelward.portal.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.modelward.catalog.CatalogQueries;
import io.modelward.catalog.store.ArtifactStore;
import io.modelward.governance.ProblemException;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where runtime pods fetch the model files of approved versions, by SHA-256 (the runtime checks it again before
 * loading). Only the deployer's artifact token gets here (see the portal's security configuration), and only files of
 * APPROVED versions are served: drafts and rejected files never reach a pod.
 */
@RestController
class InternalArtifacts {

    private final CatalogQueries catalog;
    private final ArtifactStore store;

    InternalArtifacts(CatalogQueries catalog, ArtifactStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    @GetMapping("/internal/artifacts/{sha256:[0-9a-f]{64}}")
    ResponseEntity<FileSystemResource> artifact(@PathVariable String sha256) throws IOException {
        Path file = store.path(sha256);
        if (!catalog.isApprovedArtifact(sha256) || !Files.isRegularFile(file)) {
            throw ProblemException.notFound("No approved artifact has SHA-256 " + sha256 + ".");
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(Files.size(file))
                .header("X-Checksum-Sha256", sha256).body(new FileSystemResource(file));
    }
}
