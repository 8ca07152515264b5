package io.splitline.store;

import io.splitline.error.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One page of a definition's history ({@code GET /experiments/{key}/history},
 * {@code GET /rollouts/{key}/history}) and the request for it. A page holds at most {@code limit}
 * entries; {@code next} is present when more entries may follow in the same order, as an opaque token
 * (the URL-safe base64 of the last entry's sort key) to send back as {@code ?next=}.
 *
 * @param entries the entries, in the requested order
 * @param next    the token of the following page, or empty on the last page
 */
public record HistoryPage(List<HistoryEntry> entries, Optional<String> next) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private static final Pattern SORT_KEY = Pattern.compile(Pattern.quote(DefinitionKeys.HISTORY_SK_PREFIX) + "\\d{10}");

    public HistoryPage {
        entries = List.copyOf(entries);
    }

    /**
     * What a client asks for.
     *
     * @param limit       entries per page, 1 to {@link #MAX_LIMIT}
     * @param after       the sort key the page starts after (decoded from {@code next}), or empty for the start
     * @param newestFirst newest entries first ({@code order=newest}) instead of oldest first
     */
    public record Request(int limit, Optional<String> after, boolean newestFirst) {
        /** The first page, oldest first, of the default size. */
        public static final Request FIRST = new Request(DEFAULT_LIMIT, Optional.empty(), false);

        public Request {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit " + limit + " outside 1-" + MAX_LIMIT);
            }
        }

        /**
         * Parses the query parameters {@code limit}, {@code next} and {@code order}, each optional.
         *
         * @throws InvalidFieldException naming the parameter that is malformed
         */
        public static Request parse(Optional<String> limit, Optional<String> next, Optional<String> order) {
            int size = limit.map(HistoryPage::limit).orElse(DEFAULT_LIMIT);
            boolean newestFirst = order.map(o -> switch (o) {
                case "oldest" -> false;
                case "newest" -> true;
                default -> throw new InvalidFieldException("order", "order must be oldest (the default) or newest (got '"
                        + abbreviate(o) + "')");
            }).orElse(false);
            return new Request(size, next.map(HistoryPage::decode), newestFirst);
        }
    }

    /** The token of the page that starts after the entry with sort key {@code sk}. */
    static String encode(String sk) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sk.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        String sk;
        try {
            sk = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            sk = "";
        }
        if (!SORT_KEY.matcher(sk).matches()) {
            throw new InvalidFieldException("next", "next must be the token of a previous page, unchanged (got '"
                    + abbreviate(token) + "'); leave it out for the first page");
        }
        return sk;
    }

    private static int limit(String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidFieldException("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + " (got '"
                + abbreviate(text) + "'); the default is " + DEFAULT_LIMIT);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
