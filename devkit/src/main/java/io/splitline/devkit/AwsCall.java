package io.splitline.devkit;

/**
 * One AWS API permission a function used while the tests ran: the IAM action it needs and the resource
 * it was asked for, as the recorder saw them.
 *
 * @param function the template's logical id of the function the call was made for
 * @param action   IAM action, e.g. {@code dynamodb:ConditionCheckItem} (a transaction item, not the transaction)
 * @param resource the ARN IAM evaluates, in the model account and region of {@link AwsCallRecorder}, with the
 *                 physical names the test used ({@code table/t12_DefinitionsTable}); {@code *} when the action
 *                 supports no resource-level permissions
 * @param caller   the method that called the AWS SDK ({@code io.splitline.store.DefinitionStore.create})
 */
public record AwsCall(String function, String action, String resource, String caller) {
}
