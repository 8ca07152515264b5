package io.splitline.rollout.traffic;

/**
 * A Lambda alias whose traffic moves from one published version to another: the alias points at
 * {@code controlVersion} and routes the treatment's share to {@code treatmentVersion}; once complete it
 * points at {@code treatmentVersion} alone.
 *
 * @param functionName     function name (not an ARN)
 * @param alias            alias name
 * @param controlVersion   published version serving control
 * @param treatmentVersion published version serving treatment
 */
public record LambdaAliasTarget(String functionName, String alias, String controlVersion, String treatmentVersion)
        implements RolloutTarget {
    public static final String TYPE = "lambda-alias";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String control() {
        return controlVersion;
    }

    @Override
    public String treatment() {
        return treatmentVersion;
    }

    @Override
    public String describe() {
        return "alias " + alias + " of function " + functionName;
    }
}
