package io.splitline.holdout;

import io.splitline.http.ApiException;
import io.splitline.store.DefinitionKind;
import io.splitline.store.DefinitionStore;

/** Checks the {@code holdout} an experiment or rollout names when it is defined. */
public final class HoldoutRefs {
    private HoldoutRefs() {
    }

    /** @throws ApiException {@code invalid_request} (field {@code holdout}) when no holdout has that key */
    public static void requireExists(DefinitionStore store, String holdout) {
        if (holdout != null && store.get(DefinitionKind.HOLDOUT, holdout).isEmpty()) {
            throw ApiException.invalid("holdout", "no holdout '" + holdout + "': create it first (POST /holdouts) or leave holdout out");
        }
    }
}
