package io.splitline.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link of the documentation ({@code README.md}, {@code BENCHMARKS.md}, {@code docs/*.md})
 * names a file that exists and, for {@code #anchor} links into Markdown, a heading that exists there, with
 * GitHub's heading slugs. The docs are split over many files, so a section moving from one to another
 * would otherwise leave links pointing nowhere.
 */
class DocsLinksTest {
    /** An inline link or image, {@code [label](target)}; the target has no spaces in these docs. */
    private static final Pattern LINK = Pattern.compile("\\[([^\\]\\n]*)\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private final Path repoRoot = Path.of(System.getProperty("splitline.repoRoot", ".."));

    @Test
    void everyRelativeLinkAndAnchorOfTheDocsResolves() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(repoRoot.resolve("README.md"), repoRoot.resolve("BENCHMARKS.md")));
        try (Stream<Path> files = Files.list(repoRoot.resolve("docs"))) {
            files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertTrue(docs.size() > 3, "found the docs under " + repoRoot.toAbsolutePath());

        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            List<String> problems = brokenLinks(doc);
            broken.addAll(problems);
            checked += links(Files.readString(doc)).size();
        }
        assertTrue(checked > 50, "checked the docs' links, found " + checked);
        assertEquals(List.of(), broken, "broken links in the docs");
    }

    @Test
    void aMissingFileOrHeadingIsReported(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), "# Other\n\n## Smoke test\n\n```\n## Not a heading\n```\n");
        Path doc = dir.resolve("doc.md");
        Files.writeString(doc, """
                # Doc
                ## Per treatment (`comparisons[]`, every treatment × every metric)
                ## Per treatment (`comparisons[]`, every treatment × every metric)
                [ok](#per-treatment-comparisons-every-treatment--every-metric) [ok](#per-treatment-comparisons-every-treatment--every-metric-1)
                [ok](other.md#smoke-test) [ok](https://example.com/x#y) [ok](other.md)
                [gone](missing.md) [no heading](other.md#teardown) [code is no heading](other.md#not-a-heading) [here](#nowhere)
                """);

        assertEquals(List.of(
                        doc + ": [gone](missing.md): no file " + dir.resolve("missing.md"),
                        doc + ": [no heading](other.md#teardown): no heading #teardown in " + dir.resolve("other.md"),
                        doc + ": [code is no heading](other.md#not-a-heading): no heading #not-a-heading in " + dir.resolve("other.md"),
                        doc + ": [here](#nowhere): no heading #nowhere in " + doc),
                brokenLinks(doc));
    }

    /** The links of {@code doc} whose file or heading does not exist, one line each. */
    private static List<String> brokenLinks(Path doc) throws IOException {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchorsByFile = new HashMap<>();
        for (String[] link : links(Files.readString(doc))) {
            String target = link[1];
            if (SCHEME.matcher(target).find()) {
                continue;
            }
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? "" : target.substring(hash + 1);
            Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
            String where = doc + ": [" + link[0] + "](" + target + "): ";
            if (!Files.exists(file)) {
                broken.add(where + "no file " + file);
            } else if (!anchor.isEmpty() && file.toString().endsWith(".md")
                    && !anchorsByFile.computeIfAbsent(file, DocsLinksTest::anchors).contains(anchor)) {
                broken.add(where + "no heading #" + anchor + " in " + file);
            }
        }
        return broken;
    }

    /** Label and target of every inline link outside fenced code blocks. */
    private static List<String[]> links(String markdown) {
        List<String[]> links = new ArrayList<>();
        for (String line : proseLines(markdown)) {
            Matcher link = LINK.matcher(line);
            while (link.find()) {
                links.add(new String[] {link.group(1), link.group(2)});
            }
        }
        return links;
    }

    /** The anchors GitHub gives the headings of {@code file}: a repeated slug gets -1, -2… */
    private static Set<String> anchors(Path file) {
        String markdown;
        try {
            markdown = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseLines(markdown)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(2));
                int repeats = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(repeats == 0 ? slug : slug + "-" + repeats);
            }
        }
        return anchors;
    }

    /**
     * GitHub's heading slug: the heading's text (a link's label for a link), lower-cased, with every
     * character but letters, digits, spaces, hyphens and underscores removed, and spaces made hyphens.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").strip().toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{M}\\p{N}_\\- ]", "").replace(' ', '-');
    }

    /** The lines of {@code markdown} outside fenced code blocks ({@code ```}). */
    private static List<String> proseLines(String markdown) {
        List<String> prose = new ArrayList<>();
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                inFence = !inFence;
            } else if (!inFence) {
                prose.add(line);
            }
        }
        return prose;
    }
}
