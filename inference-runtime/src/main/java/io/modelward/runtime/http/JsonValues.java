package io.modelward.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.Datatype;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** The elements of a data array, read before the datatype may be known (JSON fields come in any order). */
final class JsonValues {

    int count;
    private double[] doubles = new double[64];
    private long[] longs = new long[64];
    private boolean integral = true;
    private boolean numbers;
    private boolean booleans;
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
                numbers = true;
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    integral = false;
                    doubles[count] = p.getDoubleValue();
                }
                else {
                    longs[count] = p.getLongValue();
                    doubles[count] = longs[count];
                }
            }
            case VALUE_NUMBER_FLOAT -> {
                numbers = true;
                integral = false;
                doubles[count] = p.getDoubleValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                booleans = true;
                longs[count] = token == JsonToken.VALUE_TRUE ? 1 : 0;
            }
            case VALUE_STRING -> {
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

    Object as(Datatype type, String label) {
        int kinds = (numbers ? 1 : 0) + (booleans ? 1 : 0) + (strings != null ? 1 : 0);
        if (kinds > 1) {
            throw new BadInputException(label + ": data mixes numbers, booleans and strings.");
        }
        if (count == 0) {
            return empty(type);
        }
        return switch (type) {
            case BOOL -> {
                require(booleans, label, "true or false");
                boolean[] v = new boolean[count];
                for (int i = 0; i < count; i++) {
                    v[i] = longs[i] != 0;
                }
                yield v;
            }
            case BYTES -> {
                require(strings != null, label, "strings");
                yield strings.toArray(new byte[0][]);
            }
            case FP32 -> {
                require(numbers, label, "numbers");
                float[] v = new float[count];
                for (int i = 0; i < count; i++) {
                    v[i] = (float) doubles[i];
                }
                yield v;
            }
            case FP64 -> {
                require(numbers, label, "numbers");
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

    private long[] integers(String label, long min, long max, Datatype type) {
        require(numbers && integral, label, "whole numbers");
        for (int i = 0; i < count; i++) {
            if (longs[i] < min || longs[i] > max) {
                throw new BadInputException(label + ": " + longs[i] + " does not fit " + type + ".");
            }
        }
        return Arrays.copyOf(longs, count);
    }

    private static void require(boolean ok, String label, String what) {
        if (!ok) {
            throw new BadInputException(label + ": data must be " + what + " for its datatype.");
        }
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
