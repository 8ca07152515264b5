package io.splitline.http;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitline.error.DomainException;
import org.junit.jupiter.api.function.Executable;

/**
 * For tests of domain services that check how a refusal is answered: runs the call, asserts it is refused
 * with a {@link DomainException}, and gives back the API error it becomes ({@link DomainErrors}).
 */
public final class Refusals {
    private Refusals() {
    }

    /** The API error of the refusal {@code call} must throw. */
    public static ApiException refused(Executable call) {
        return DomainErrors.toApi(assertThrows(DomainException.class, call));
    }
}
