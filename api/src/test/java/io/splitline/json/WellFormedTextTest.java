package io.splitline.json;

import static io.splitline.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.splitline.http.ApiException;
import io.splitline.http.ApiRequest;
import io.splitline.http.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text that is not well-formed Unicode is refused, never altered: unpaired surrogates in any string or
 * member name of a request body (valid JSON escapes, no Unicode text), and body bytes that are not
 * UTF-8 (which a lenient decoder turns into U+FFFD).
 */
class WellFormedTextTest {

    static Stream<Arguments> unpairedSurrogates() {
        // The JSON escapes are written out (\\u...), as a client sends them.
        return Stream.of(
                Arguments.of("{\"unitId\": \"u-\\ud800\"}", "unitId"),
                Arguments.of("{\"unitId\": \"u-\\udc00\"}", "unitId"),
                Arguments.of("{\"unitId\": \"\\udc00\\ud83d\"}", "unitId"),
                Arguments.of("{\"unitId\": \"\\ud83d\"}", "unitId"),
                Arguments.of("{\"a\": {\"b\": [\"ok\", \"x\\udfff\"]}}", "a.b[1]"),
                Arguments.of("{\"overrides\": {\"qa-\\ud800\": \"green\"}}", "overrides"),
                Arguments.of("{\"\\ud800\": 1}", null));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("unpairedSurrogates")
    void unpairedSurrogate_isInvalidRequest_namingWhereItIs(String body, String field) {
        ApiException e = refused(() -> Json.parse(body));

        assertEquals(ErrorCode.INVALID_REQUEST, e.code());
        assertEquals(field, e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"unitId\": \"\\ud83d\\ude00\"}", "{\"unitId\": \"😀 Zürich 東京\"}", "{\"\\ud83d\\ude00\": \"\"}"})
    void wellFormedText_outsideTheBasicPlane_isAccepted(String body) {
        Json.parse(body);
    }

    @Test
    void parseSyntax_leavesTheTextCheckToTheCaller() {
        assertEquals("u-\ud800", Json.parseSyntax("{\"unitId\": \"u-\\ud800\"}").get("unitId").textValue());
    }

    static Stream<Arguments> malformedUtf8() {
        return Stream.of(
                Arguments.of("a lone continuation byte", "7b2261223a2280227d"),
                Arguments.of("a truncated sequence", "7b2261223a22c3227d"),
                Arguments.of("an overlong encoding of '/'", "7b2261223a22c0af227d"),
                Arguments.of("an encoded surrogate (CESU-8)", "7b2261223a22eda080227d"),
                Arguments.of("a byte that is never UTF-8", "7b2261223a22ff227d"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUtf8")
    void malformedUtf8Bytes_areInvalidRequest_notReplaced(String scenario, String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);

        ApiException direct = assertThrows(ApiException.class, () -> ApiRequest.utf8Body(bytes));
        ApiException base64 = assertThrows(ApiException.class, () -> ApiRequest.from(new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST").withResource("/events").withPath("/events")
                .withBody(Base64.getEncoder().encodeToString(bytes)).withIsBase64Encoded(true)));

        assertEquals(ErrorCode.INVALID_REQUEST, direct.code());
        assertEquals(ErrorCode.INVALID_REQUEST, base64.code());
    }

    @Test
    void wellFormedUtf8_base64Encoded_isDecoded() {
        String text = "{\"unitId\": \"Zürich 😀\"}";
        ApiRequest request = ApiRequest.from(new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST").withResource("/assign").withPath("/assign")
                .withBody(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))).withIsBase64Encoded(true));

        assertEquals(text, request.body());
    }
}
