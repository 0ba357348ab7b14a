package io.modelward.portal.api;

import java.util.List;

import io.modelward.catalog.license.LicensePolicy;
import io.modelward.catalog.license.LicenseRule;
import io.modelward.catalog.license.LicenseVerdict;
import io.modelward.governance.Actor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The license policy over REST. */
@RestController
@RequestMapping("/api/licenses")
@Tag(name = "License policy")
class LicenseApi {

    private final LicensePolicy policy;

    LicenseApi(LicensePolicy policy) {
        this.policy = policy;
    }

    @GetMapping
    List<LicenseRule> rules() {
        return policy.rules();
    }

    @PutMapping("/{spdxId}")
    @Operation(summary = "Add or change a rule (admins)")
    LicenseRule put(Actor actor, @PathVariable String spdxId, @Valid @RequestBody RuleChange change) {
        return policy.put(actor, spdxId, change.name(), change.verdict(), change.note());
    }

    record RuleChange(@Nullable String name, @NotNull(message = "verdict is required: ALLOWED, REVIEW or DENIED") LicenseVerdict verdict,
            @Nullable String note) {
    }
}
