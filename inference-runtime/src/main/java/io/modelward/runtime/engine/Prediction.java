package io.modelward.runtime.engine;

/** One class of a classification: its index, label and probability (or score, without softmax). */
public record Prediction(int index, String label, float probability) {
}
