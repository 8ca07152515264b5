package io.splitline.devkit;

import java.util.Locale;
import java.util.Map;

/**
 * Whether the build runs in CI: the {@code CI} variable set to anything but empty, {@code false} or
 * {@code 0}. Tests that need an external tool (moto_server, Chromium) skip with a message without it,
 * but fail under CI, so that CI never passes by silently skipping.
 */
public final class Ci {
    private Ci() {
    }

    /** Whether this process runs in CI. */
    public static boolean isSet() {
        return isSet(System.getenv());
    }

    /** Whether {@code environment} (only {@code CI} is read) says CI. */
    public static boolean isSet(Map<String, String> environment) {
        String ci = environment.get("CI");
        if (ci == null || ci.isBlank()) {
            return false;
        }
        String value = ci.trim().toLowerCase(Locale.ROOT);
        return !value.equals("false") && !value.equals("0");
    }
}
