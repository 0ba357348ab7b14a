package io.modelward.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.modelward.catalog.license.LicensePolicy;
import io.modelward.catalog.license.LicenseVerdict;
import io.modelward.governance.ProblemException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read side of the catalog: lists, details and the approval queue. */
@Service
@Transactional(readOnly = true)
public class CatalogQueries {

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final ArtifactRepository artifacts;
    private final VersionTransitionRepository transitions;
    private final LicensePolicy licensePolicy;

    CatalogQueries(ModelRepository models, ModelVersionRepository versions, ArtifactRepository artifacts,
            VersionTransitionRepository transitions, LicensePolicy licensePolicy) {
        this.models = models;
        this.versions = versions;
        this.artifacts = artifacts;
        this.transitions = transitions;
        this.licensePolicy = licensePolicy;
    }

    /** Whether a file with this SHA-256 belongs to an APPROVED version: only those are served to runtime pods. */
    public boolean isApprovedArtifact(String sha256) {
        return artifacts.existsInState(sha256, VersionState.APPROVED);
    }

    public List<ModelSummary> search(CatalogFilter filter) {
        Map<Long, List<ModelVersion>> byModel = new LinkedHashMap<>();
        for (ModelVersion v : versions.findAllWithModel()) {
            byModel.computeIfAbsent(v.model().id(), id -> new ArrayList<>()).add(v);
        }
        Map<String, LicenseVerdict> verdicts = new LinkedHashMap<>();
        List<ModelSummary> result = new ArrayList<>();
        for (Model m : models.findAllByOrderByNameAsc()) {
            List<ModelVersion> vs = byModel.getOrDefault(m.id(), List.of());
            if (!matchesText(m, filter.text()) || (filter.task() != null && m.task() != filter.task())) {
                continue;
            }
            if (filter.state() != null && vs.stream().noneMatch(v -> v.state() == filter.state())) {
                continue;
            }
            if (filter.verdict() != null && vs.stream()
                    .noneMatch(v -> verdict(v, verdicts) == filter.verdict())) {
                continue;
            }
            ModelVersion latest = vs.isEmpty() ? null : vs.getFirst();
            result.add(new ModelSummary(m.name(), m.displayName(), m.task(), m.owner(), vs.size(),
                    latest == null ? null : latest.label(), latest == null ? null : latest.state(),
                    latest == null ? null : latest.licenseSpdx(), latest == null ? null : verdict(latest, verdicts)));
        }
        return result;
    }

    public ModelDetails model(String name) {
        Model m = models.findByName(name).orElseThrow(() -> CatalogService.modelNotFound(name));
        List<VersionDetails> vs = versions.findByModel(m.id()).stream().map(this::details).toList();
        return new ModelDetails(m.name(), m.displayName(), m.task(), m.description(), m.owner(), m.createdAt(), vs);
    }

    public VersionDetails version(String model, String label) {
        return versions.find(model, label).map(this::details)
                .orElseThrow(() -> ProblemException.notFound("Model '" + model + "' has no version '" + label + "'."));
    }

    /** Versions waiting for a decision, oldest first. */
    public List<VersionDetails> approvalQueue() {
        return versions.findByState(VersionState.SUBMITTED).stream().map(this::details)
                .sorted(Comparator.comparing(VersionDetails::createdAt)).toList();
    }

    private VersionDetails details(ModelVersion v) {
        return Views.details(v, licensePolicy, artifacts.findByVersionIdOrderByKind(v.id()),
                transitions.findByVersionIdOrderByAtAscIdAsc(v.id()));
    }

    private LicenseVerdict verdict(ModelVersion v, Map<String, LicenseVerdict> cache) {
        return cache.computeIfAbsent(v.licenseSpdx().toLowerCase(Locale.ROOT), k -> licensePolicy.verdictFor(v.licenseSpdx()));
    }

    private static boolean matchesText(Model m, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return true;
        }
        String needle = text.strip().toLowerCase(Locale.ROOT);
        return contains(m.name(), needle) || contains(m.displayName(), needle) || contains(m.description(), needle)
                || contains(m.owner(), needle);
    }

    private static boolean contains(@Nullable String haystack, String needle) {
        return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(needle);
    }
}
