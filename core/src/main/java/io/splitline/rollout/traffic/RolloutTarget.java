package io.splitline.rollout.traffic;

/**
 * The AWS entry point whose traffic a rollout shifts, besides what {@code /assign} answers: a Lambda alias
 * between two published versions, or the two production variants of a SageMaker endpoint. The control and
 * treatment are pinned at creation, so the step always knows which side is which. Pure values: the
 * adapters that talk to AWS live in {@code io.splitline.rollout.traffic.aws}.
 */
public sealed interface RolloutTarget permits LambdaAliasTarget, SageMakerVariantsTarget {
    /** The API name of the type ({@code lambda-alias}). */
    String type();

    /** What carries the control traffic: a version number or a variant name. */
    String control();

    /** What carries the treatment traffic. */
    String treatment();

    /** A short human-readable name of the entry point ({@code function ranker alias live}). */
    String describe();
}
