package io.modelward.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;

/** The scan of header values accepts exactly what Spring Security's strict firewall accepts by default. */
class HeaderValuesTest {

    /** StrictHttpFirewall's own default expression for header values (Spring Security 7). */
    private static final Pattern SPRING = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    private final HeaderValues scan = new HeaderValues();

    @Test
    void agreesWithSpringSecurityOnEveryCharacter() {
        List<String> disagreements = new ArrayList<>();
        for (int c = 0; c <= 0xFFFF; c++) {
            String value = "Bearer ab" + (char) c + "cd";
            if (scan.test(value) != SPRING.matcher(value).matches()) {
                disagreements.add(Integer.toHexString(c));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void agreesWithSpringSecurityOnSurrogatePairsAndEdges() {
        for (String value : List.of("", "\t", "\u0000", "\u007f", "caf\u00e9", "\uD83D\uDE00 smile", "\uD83D",
                "x\uDE00", "\uDB7F\uDFFF", "\uDBFF\uDFFF", "a\r\nb", "\u2028", "\u00a0", "\u0085")) {
            assertThat(scan.test(value)).as("%s", value.codePoints().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(SPRING.matcher(value).matches());
        }
    }

    @Test
    void theFirewallStillRefusesAControlCharacterInAHeader() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v2/models/digits/infer");
        request.addHeader("X-Purpose-Of-Use", "TREAT\u0007");
        var checked = HeaderValues.firewall().getFirewalledRequest(request);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> checked.getHeader("X-Purpose-Of-Use"))
                .isInstanceOf(RequestRejectedException.class);
        request = new MockHttpServletRequest("POST", "/v2/models/digits/infer");
        request.addHeader("Authorization", "Bearer abc.def");
        assertThat(HeaderValues.firewall().getFirewalledRequest(request).getHeader("Authorization"))
                .isEqualTo("Bearer abc.def");
    }
}
