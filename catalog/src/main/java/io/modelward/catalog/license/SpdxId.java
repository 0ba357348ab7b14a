package io.modelward.catalog.license;

import java.util.regex.Pattern;

import io.modelward.governance.ProblemException;

/** Syntax of an SPDX license identifier (or {@code LicenseRef-...}), as accepted by the catalog. */
public final class SpdxId {

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+-]{0,99}");

    private SpdxId() {
    }

    /** Returns the id trimmed, or throws a 400 problem naming what is wrong with it. */
    public static String require(String spdxId) {
        String id = spdxId == null ? "" : spdxId.strip();
        if (id.isEmpty()) {
            throw ProblemException.invalid("invalid-license", "A license is required: give its SPDX id, e.g. Apache-2.0, "
                    + "or NOASSERTION when it is unknown.");
        }
        if (!SYNTAX.matcher(id).matches()) {
            throw ProblemException.invalid("invalid-license", "'" + abbreviate(id) + "' is not an SPDX license id: use "
                    + "letters, digits, '.', '-' and '+' only, at most 100 characters (e.g. Apache-2.0, LicenseRef-Acme).");
        }
        return id;
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }
}
