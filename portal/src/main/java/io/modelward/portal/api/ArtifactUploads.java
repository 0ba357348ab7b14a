package io.modelward.portal.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Locale;

import io.modelward.catalog.ArtifactContent;
import io.modelward.catalog.ArtifactInfo;
import io.modelward.catalog.ArtifactKind;
import io.modelward.catalog.ArtifactService;
import io.modelward.governance.Actor;
import io.modelward.governance.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Artifact transfer over HTTP, shared by the API and the portal's upload page: the request body streams straight into
 * the catalog (no multipart buffering), and downloads stream straight out with their checksum.
 */
@Component
public class ArtifactUploads {

    private final ArtifactService artifacts;

    ArtifactUploads(ArtifactService artifacts) {
        this.artifacts = artifacts;
    }

    public ResponseEntity<ArtifactInfo> upload(Actor actor, String model, String version, String kind,
            @Nullable String fileName, @Nullable String sha256, HttpServletRequest request) throws IOException {
        if (fileName == null || fileName.isBlank()) {
            throw ProblemException.invalid("invalid-file-name", "Name the file with the fileName query parameter, "
                    + "e.g. ?fileName=model.pt.");
        }
        ArtifactKind artifactKind = kind(kind);
        if (MediaType.APPLICATION_FORM_URLENCODED_VALUE.equals(request.getContentType())
                || (request.getContentType() != null && request.getContentType().startsWith("multipart/"))) {
            throw ProblemException.unsupported("Send the file itself as the request body (Content-Type: "
                    + "application/octet-stream), not as a form.");
        }
        try (InputStream body = request.getInputStream()) {
            ArtifactInfo info = artifacts.upload(actor, model, version, artifactKind, fileName, sha256,
                    request.getContentLengthLong(), body);
            URI location = URI.create("/api/models/" + model + "/versions/" + version + "/artifacts/"
                    + kind.toLowerCase(Locale.ROOT));
            return ResponseEntity.created(location).body(info);
        }
    }

    public ResponseEntity<InputStreamResource> download(String model, String version, String kind) throws IOException {
        ArtifactContent content = artifacts.open(model, version, kind(kind));
        ArtifactInfo info = content.info();
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(info.sizeBytes())
                .eTag("\"" + info.sha256() + "\"")
                .header("X-Checksum-Sha256", info.sha256())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(info.fileName())
                        .build().toString())
                .body(new InputStreamResource(content.stream()));
    }

    static ArtifactKind kind(String kind) {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "model" -> ArtifactKind.MODEL;
            case "labels" -> ArtifactKind.LABELS;
            default -> throw ProblemException.notFound("Unknown artifact kind '" + kind + "': use 'model' or 'labels'.");
        };
    }
}
