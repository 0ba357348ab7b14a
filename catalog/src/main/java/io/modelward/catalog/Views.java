package io.modelward.catalog;

import java.util.List;

import io.modelward.catalog.license.LicensePolicy;

/** Turns entities into the public view records. */
final class Views {

    private Views() {
    }

    static VersionDetails details(ModelVersion v, LicensePolicy policy, List<Artifact> artifacts,
            List<VersionTransition> history) {
        Model m = v.model();
        return new VersionDetails(m.name(), m.displayName(), m.task(), m.owner(), v.label(), v.format(), v.state(),
                v.licenseSpdx(), policy.verdictFor(v.licenseSpdx()), v.input(), v.provenance(), v.createdBy(),
                v.createdAt(), v.submittedBy(), v.decidedBy(), artifacts.stream().map(Artifact::toInfo).toList(),
                history.stream().map(VersionTransition::toInfo).toList(), v.signature());
    }
}
