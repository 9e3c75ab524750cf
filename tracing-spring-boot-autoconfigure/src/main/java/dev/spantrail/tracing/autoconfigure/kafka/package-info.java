/**
 * Kafka spans through Spring Kafka's own hooks: a {@code send {topic}} PRODUCER span per record
 * sent by a producer of any Spring {@code ProducerFactory} (so every {@code KafkaTemplate}), with
 * the context injected into the record's headers, and a {@code process {topic}} CONSUMER span per
 * record a listener container handles (record and batch listeners), referring to the producer's
 * span by FollowsFrom or ChildOf.
 */
package dev.spantrail.tracing.autoconfigure.kafka;
