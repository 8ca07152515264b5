package io.splitline.ingest;

/** Why one event of a batch was not taken: the documented error body plus its index in the batch. */
public record Rejection(int index, String error, String message, String field) {
}
