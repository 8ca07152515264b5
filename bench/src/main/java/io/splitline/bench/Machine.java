package io.splitline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a benchmark ran on, printed with every report: the figures mean little without it. */
public final class Machine {
    private Machine() {
    }

    /** One line: cores, CPU model, JDK, load average. */
    public static String describe() {
        return String.format(Locale.ROOT, "%d cores (%s), %s %s, load average %s",
                Runtime.getRuntime().availableProcessors(), cpuModel(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), loadAverage());
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or "n/a" off Linux. */
    public static String loadAverage() {
        String text = read("/proc/loadavg");
        if (text == null) {
            return "n/a";
        }
        String[] parts = text.trim().split("\\s+");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : "n/a";
    }

    private static String cpuModel() {
        String text = read("/proc/cpuinfo");
        if (text != null) {
            for (String line : text.split("\n")) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        return System.getProperty("os.arch");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
