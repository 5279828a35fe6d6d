package dev.vae.models.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a numeric CSV file as a {@link Dataset}: one sample per line, fields separated by
 * {@code delimiter}, an optional header line (recognised because one of its fields is not a
 * number), blank lines and lines starting with {@code #} ignored. One column may hold labels.
 *
 * <p>Validation: every row has the same number of fields, every field is a finite number, at
 * least one row; a failure is one {@link DataFormatException} naming the file, the line and the
 * column.
 */
public final class CsvReader {
    private CsvReader() {
    }

    /**
     * @param delimiter   the field separator
     * @param labelColumn the header name or 0-based index of the label column, or null for none
     */
    public record Options(char delimiter, String labelColumn) {
        /** @return comma-separated, no labels */
        public static Options defaults() {
            return new Options(',', null);
        }

        /** @return these options with a label column */
        public Options withLabelColumn(String column) {
            return new Options(delimiter, column);
        }
    }

    /** Reads {@code file} with {@link Options#defaults()}. */
    public static Dataset read(String name, Path file) {
        return read(name, file, Options.defaults());
    }

    /**
     * @throws DataFormatException if the file is missing, unreadable or malformed
     */
    public static Dataset read(String name, Path file, Options options) {
        List<float[]> rows = new ArrayList<>();
        String[] header = null;
        int width = -1;
        int labelIdx = -1;
        List<Double> labels = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] fields = split(t, options.delimiter());
                if (width < 0) {
                    width = fields.length;
                    if (!allNumeric(fields)) {
                        header = fields;
                        labelIdx = labelIndex(file, options.labelColumn(), header);
                        continue;
                    }
                    labelIdx = labelIndex(file, options.labelColumn(), null);
                    if (labelIdx >= width) {
                        throw new DataFormatException(file, "label column " + labelIdx + " does not exist (rows have " + width + " fields)");
                    }
                }
                if (fields.length != width) {
                    throw new DataFormatException(file, "line " + lineNo + " has " + fields.length + " fields, expected " + width);
                }
                int d = labelIdx >= 0 ? width - 1 : width;
                float[] row = new float[d];
                for (int c = 0, j = 0; c < width; c++) {
                    double v = parse(file, fields[c], lineNo, c, header);
                    if (c == labelIdx) {
                        labels.add(v);
                    } else {
                        if (Math.abs(v) > Float.MAX_VALUE) {
                            throw new DataFormatException(file, "line " + lineNo + ", " + column(c, header) + ": " + fields[c] + " overflows float32");
                        }
                        row[j++] = (float) v;
                    }
                }
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "no such file");
        } catch (MalformedInputException e) {
            throw new DataFormatException(file, "is not UTF-8 text");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e, e);
        }
        if (rows.isEmpty()) {
            throw new DataFormatException(file, "holds no data rows");
        }
        int d = rows.get(0).length;
        if (d == 0) {
            throw new DataFormatException(file, "has no feature columns");
        }
        float[] f = new float[rows.size() * d];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, f, i * d, d);
        }
        Dataset ds = Dataset.of(name, f, rows.size(), d);
        if (labelIdx < 0) {
            return ds;
        }
        double[] lv = labels.stream().mapToDouble(Double::doubleValue).toArray();
        boolean integral = true;
        for (double v : lv) {
            integral &= v == Math.rint(v) && v >= 0 && v <= Integer.MAX_VALUE;
        }
        String labelName = header != null ? header[labelIdx] : "label";
        if (integral) {
            int[] iv = new int[lv.length];
            for (int i = 0; i < lv.length; i++) {
                iv[i] = (int) lv[i];
            }
            return ds.withLabels(Labels.categorical(labelName, iv));
        }
        return ds.withLabels(Labels.continuous(labelName, lv));
    }

    private static String[] split(String line, char delimiter) {
        String[] parts = line.split(java.util.regex.Pattern.quote(String.valueOf(delimiter)), -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                p = p.substring(1, p.length() - 1).strip();
            }
            parts[i] = p;
        }
        return parts;
    }

    private static boolean allNumeric(String[] fields) {
        for (String f : fields) {
            String l = f.toLowerCase(Locale.ROOT);
            if (l.equals("nan") || l.contains("inf")) {
                continue; // numeric, rejected later with its position
            }
            try {
                Double.parseDouble(f);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static int labelIndex(Path file, String column, String[] header) {
        if (column == null) {
            return -1;
        }
        if (header != null) {
            for (int i = 0; i < header.length; i++) {
                if (header[i].equals(column)) {
                    return i;
                }
            }
        }
        try {
            int i = Integer.parseInt(column);
            if (i < 0 || (header != null && i >= header.length)) {
                throw new DataFormatException(file, "label column " + i + " does not exist");
            }
            return i;
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, "label column '" + column + "' is not in the header"
                    + (header == null ? " (the file has no header)" : ""));
        }
    }

    private static String column(int c, String[] header) {
        return "column " + (c + 1) + (header != null ? " (" + header[c] + ")" : "");
    }

    private static double parse(Path file, String field, int lineNo, int c, String[] header) {
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            String l = field.toLowerCase(Locale.ROOT);
            if (l.equals("nan") || l.equals("inf") || l.equals("-inf") || l.equals("+inf")) {
                v = Double.NaN;
            } else {
                throw new DataFormatException(file, "line " + lineNo + ", " + column(c, header) + ": '" + field + "' is not a number");
            }
        }
        if (!Double.isFinite(v)) {
            throw new DataFormatException(file, "line " + lineNo + ", " + column(c, header) + ": non-finite value '" + field + "'");
        }
        return v;
    }
}
