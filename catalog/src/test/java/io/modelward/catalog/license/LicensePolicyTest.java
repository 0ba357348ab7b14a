package io.modelward.catalog.license;

import static io.modelward.catalog.Fixtures.ADMIN;
import static io.modelward.catalog.Fixtures.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelward.CatalogTestApplication;
import io.modelward.catalog.Fixtures;
import io.modelward.governance.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(classes = CatalogTestApplication.class)
class LicensePolicyTest {

    @Autowired
    LicensePolicy policy;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @CsvSource({ "Apache-2.0, ALLOWED", "MIT, ALLOWED", "BSD-3-Clause, ALLOWED", "bsd-2-clause, ALLOWED",
            "CC-BY-NC-4.0, REVIEW", "GPL-3.0-only, REVIEW", "AGPL-3.0-only, REVIEW", "OpenRAIL-M, REVIEW",
            "other, REVIEW", "Never-Heard-Of-It, REVIEW", "LicenseRef-Proprietary, DENIED", "NONE, DENIED",
            "NOASSERTION, DENIED" })
    void givesTheSeededVerdict(String spdx, LicenseVerdict verdict) {
        assertThat(policy.verdictFor(spdx)).isEqualTo(verdict);
    }

    @Test
    void letsAnAdminChangeAVerdictAndAuditsIt() {
        String id = "LicenseRef-" + Fixtures.uniqueName("acme");
        assertThat(policy.verdictFor(id)).isEqualTo(LicenseVerdict.REVIEW);
        LicenseRule rule = policy.put(ADMIN, id, "ACME research license", LicenseVerdict.DENIED, "Vendor lock-in");
        assertThat(rule.updatedBy()).isEqualTo("root");
        assertThat(policy.verdictFor(id.toUpperCase())).isEqualTo(LicenseVerdict.DENIED);
        policy.put(ADMIN, id, "ACME research license", LicenseVerdict.ALLOWED, null);
        assertThat(policy.verdictFor(id)).isEqualTo(LicenseVerdict.ALLOWED);
        assertThat(jdbc.sql("SELECT detail FROM audit_event WHERE action = 'LICENSE_POLICY_CHANGED' "
                + "AND detail LIKE ? ORDER BY seq").param(id + "%").query(String.class).list())
                .containsExactly(id + ": none -> DENIED", id + ": DENIED -> ALLOWED");
    }

    @Test
    void refusesPolicyChangesByAnyoneButAnAdmin() {
        assertThatThrownBy(() -> policy.put(BOB, "MIT", "MIT", LicenseVerdict.DENIED, null))
                .isInstanceOfSatisfying(ProblemException.class, ex -> assertThat(ex.status()).isEqualTo(403));
        assertThat(policy.verdictFor("MIT")).isEqualTo(LicenseVerdict.ALLOWED);
    }

    @Test
    void refusesAnIdThatIsNotSpdxSyntax() {
        assertThatThrownBy(() -> policy.put(ADMIN, "MIT License", "x", LicenseVerdict.ALLOWED, null))
                .isInstanceOfSatisfying(ProblemException.class, ex -> assertThat(ex.getMessage())
                        .contains("not an SPDX license id"));
    }
}
