package io.splitline.store;

import io.splitline.error.InvalidFieldException;

/** Checks the {@code holdout} an experiment or rollout names when it is defined. */
public final class HoldoutRefs {
    private HoldoutRefs() {
    }

    /** @throws io.splitline.error.DomainException {@code invalid_request} (field {@code holdout}) when no holdout has that key */
    public static void requireExists(DefinitionStore store, String holdout) {
        if (holdout != null && store.get(DefinitionKind.HOLDOUT, holdout).isEmpty()) {
            throw new InvalidFieldException("holdout", "no holdout '" + holdout + "': create it first (POST /holdouts) or leave holdout out");
        }
    }
}
