package io.modelward.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.Datatype;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The elements of a data array, read before the datatype may be known (JSON fields come in any order). Reading notes
 * only the first element of each kind (number, boolean, string, fraction, integer beyond 64 bits, number beyond FP64),
 * so converting to the datatype can name the first element that does not fit it with one plain loop, no boxing.
 */
final class JsonValues {

    int count;
    private double[] doubles = new double[64];
    private long[] longs = new long[64];
    private int firstNumber = -1;
    private int firstBoolean = -1;
    private int firstString = -1;
    /** The first number written with a fraction or exponent. */
    private int firstFraction = -1;
    /** The first whole number beyond 64 bits, and how it was written. */
    private int firstBig = -1;
    private @Nullable String bigText;
    /** The first number beyond FP64 (JSON has no infinity: only such a number reads as one), and how it was written. */
    private int firstInfinite = -1;
    private @Nullable String infiniteText;
    private List<byte[]> strings;

    void read(JsonParser p, int index) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            add(p, index);
            return;
        }
        int depth = 0;
        JsonToken token = p.currentToken();
        while (true) {
            if (token == JsonToken.START_ARRAY) {
                depth++;
            }
            else if (token == JsonToken.END_ARRAY) {
                if (--depth == 0) {
                    return;
                }
            }
            else {
                add(p, index);
            }
            token = p.nextToken();
        }
    }

    private void add(JsonParser p, int index) {
        JsonToken token = p.currentToken();
        if (count == doubles.length) {
            doubles = Arrays.copyOf(doubles, count * 2);
            longs = Arrays.copyOf(longs, count * 2);
        }
        switch (token) {
            case VALUE_NUMBER_INT -> {
                firstNumber = firstNumber < 0 ? count : firstNumber;
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    if (firstBig < 0) {
                        firstBig = count;
                        bigText = p.getString();
                    }
                    real(p);
                }
                else {
                    longs[count] = p.getLongValue();
                    doubles[count] = longs[count];
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                firstNumber = firstNumber < 0 ? count : firstNumber;
                if (firstFraction < 0) {
                    firstFraction = count;
                }
                real(p);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                firstBoolean = firstBoolean < 0 ? count : firstBoolean;
                longs[count] = token == JsonToken.VALUE_TRUE ? 1 : 0;
            }
            case VALUE_STRING -> {
                firstString = firstString < 0 ? count : firstString;
                if (strings == null) {
                    strings = new ArrayList<>();
                }
                strings.add(p.getString().getBytes(StandardCharsets.UTF_8));
            }
            default -> throw new BadInputException("Input " + index + ": data may hold only numbers, booleans or "
                    + "strings, in arrays.");
        }
        count++;
    }

    private void real(JsonParser p) {
        double value = p.getDoubleValue();
        doubles[count] = value;
        if (Double.isInfinite(value) && firstInfinite < 0) {
            firstInfinite = count;
            infiniteText = p.getString();
        }
    }

    /** The data as the primitive array of this datatype; refuses (400) the first element that does not fit it. */
    Object as(Datatype type, String label) {
        if (count == 0) {
            return empty(type);
        }
        switch (type) {
            case BOOL -> requireOnly(firstBoolean, label, type, "true or false");
            case BYTES -> requireOnly(firstString, label, type, "strings");
            default -> requireOnly(firstNumber, label, type, "numbers");
        }
        return switch (type) {
            case BOOL -> {
                boolean[] v = new boolean[count];
                for (int i = 0; i < count; i++) {
                    v[i] = longs[i] != 0;
                }
                yield v;
            }
            case BYTES -> strings.toArray(new byte[0][]);
            case FP32 -> {
                float[] v = new float[count];
                for (int i = 0; i < count; i++) {
                    v[i] = (float) doubles[i];
                    if (Float.isInfinite(v[i])) {
                        throw outOfRange(label, i, number(i), type);
                    }
                }
                yield v;
            }
            case FP64 -> {
                if (firstInfinite >= 0) {
                    throw outOfRange(label, firstInfinite, infiniteText, type);
                }
                yield Arrays.copyOf(doubles, count);
            }
            case INT32 -> {
                int[] v = new int[count];
                long[] l = integers(label, Integer.MIN_VALUE, Integer.MAX_VALUE, type);
                for (int i = 0; i < count; i++) {
                    v[i] = (int) l[i];
                }
                yield v;
            }
            case INT64 -> integers(label, Long.MIN_VALUE, Long.MAX_VALUE, type);
            case UINT8, INT8 -> {
                long[] l = type == Datatype.UINT8 ? integers(label, 0, 255, type) : integers(label, -128, 127, type);
                byte[] v = new byte[count];
                for (int i = 0; i < count; i++) {
                    v[i] = (byte) l[i];
                }
                yield v;
            }
        };
    }

    /** Refuses data with an element of another kind than {@code first}'s: numbers, booleans or strings. */
    private void requireOnly(int first, String label, Datatype type, String what) {
        int other = Integer.MAX_VALUE;
        for (int f : new int[] { firstNumber, firstBoolean, firstString }) {
            if (f >= 0 && f != first) {
                other = Math.min(other, f);
            }
        }
        if (other != Integer.MAX_VALUE) {
            throw new BadInputException(label + ": element " + other + " is " + element(other) + ", but " + type
                    + " takes " + what + ".");
        }
    }

    /** The whole numbers; refuses the first one written with a fraction or beyond {@code min..max}. */
    private long[] integers(String label, long min, long max, Datatype type) {
        int wrong = Math.min(firstFraction < 0 ? count : firstFraction, firstBig < 0 ? count : firstBig);
        for (int i = 0; i < wrong; i++) {
            if (longs[i] < min || longs[i] > max) {
                throw outOfRange(label, i, String.valueOf(longs[i]), type);
            }
        }
        if (wrong == firstBig) {
            throw outOfRange(label, firstBig, bigText, type);
        }
        if (wrong == firstFraction) {
            throw new BadInputException(label + ": element " + wrong + " is " + number(wrong) + ", but " + type
                    + " takes whole numbers (written without a fraction or exponent).");
        }
        return Arrays.copyOf(longs, count);
    }

    /** How element {@code i}, a number read as a double, was written (near enough: in shortest form). */
    private String number(int i) {
        return i == firstInfinite ? infiniteText : i == firstBig ? bigText : show(doubles[i]);
    }

    /** The first element of its kind as the message shows it. */
    private String element(int first) {
        if (first == firstString) {
            return "a string";
        }
        if (first == firstBoolean) {
            return longs[first] != 0 ? "true" : "false";
        }
        return first == firstFraction || first == firstBig ? number(first) : String.valueOf(longs[first]);
    }

    static BadInputException outOfRange(String label, int index, String value, Datatype type) {
        return new BadInputException(label + ": element " + index + " is " + value + ", outside the range of " + type
                + ".");
    }

    /** A double in its shortest form, as JSON would write it: 1e39, 0.5, -3.25e-7. */
    static String show(double value) {
        return Double.toString(value).replace(".0E", "E").replace('E', 'e');
    }

    private static Object empty(Datatype type) {
        return switch (type) {
            case BOOL -> new boolean[0];
            case BYTES -> new byte[0][];
            case FP32 -> new float[0];
            case FP64 -> new double[0];
            case INT32 -> new int[0];
            case INT64 -> new long[0];
            case UINT8, INT8 -> new byte[0];
        };
    }
}
