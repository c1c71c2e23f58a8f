package org.ntx.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the README's fenced shell examples that call the server, without a shell: the few shell forms the examples use
 * are read here (quotes, {@code \} continuations, {@code #} comments, {@code NAME=$(...)}, {@code "$NAME"}, pipes,
 * {@code > file}, {@code until ...; do sleep N; done}) with the few commands they pipe through ({@code curl},
 * {@code grep}, {@code head}, {@code cut}, {@code tr}, {@code tee}, {@code date}). Files live in memory. Anything
 * else is refused by name, so an example the test cannot run fails the test instead of being skipped.
 */
final class ReadmeExamples {

    /** One HTTP call an example made, and what it answered. */
    record Call(String line, String method, String url, int status, String body) {}

    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> variables = new HashMap<>();
    private final Map<String, String> files = new HashMap<>();
    private final Runnable whileWaiting;
    private final Consumer<Call> onCall;
    private String line;

    /**
     * @param base         replaces the README's {@code http://127.0.0.1:8080}
     * @param whileWaiting what a {@code sleep} in an {@code until} loop does instead of sleeping
     * @param onCall       sees every curl call whose exit status the example relies on
     */
    ReadmeExamples(String base, Runnable whileWaiting, Consumer<Call> onCall) {
        this.base = base;
        this.whileWaiting = whileWaiting;
        this.onCall = onCall;
    }

    /** The fenced bash blocks of a README, as statements (continuations joined, comments dropped). */
    static List<String> statements(String readme) {
        List<String> statements = new ArrayList<>();
        Matcher block = Pattern.compile("(?ms)^```bash\\n(.*?)^```").matcher(readme);
        while (block.find()) {
            StringBuilder current = new StringBuilder();
            for (String raw : block.group(1).split("\n", -1)) {
                if (current.isEmpty() && raw.strip().startsWith("#")) {
                    continue;
                }
                current.append(current.isEmpty() ? "" : "\n").append(raw);
                String text = current.toString();
                if (text.endsWith("\\")) {
                    current.setLength(current.length() - 1);
                    continue;
                }
                if (!balanced(text)) {
                    continue; // a quoted argument spanning lines
                }
                String statement = stripComment(text).strip();
                if (!statement.isEmpty()) {
                    statements.add(statement);
                }
                current.setLength(0);
            }
        }
        return statements;
    }

    /**
     * Whether a statement is one this test runs: a curl call, a loop around one, or an assignment from a pipeline
     * (what the next call uses). The README's other commands (build, run, Docker, the analytics job) are not calls.
     */
    static boolean isCall(String statement) {
        return statement.startsWith("curl ") || statement.startsWith("until curl ")
                || statement.matches("(?s)[A-Za-z_]+=\\$\\(.*");
    }

    /** Runs one statement. */
    void run(String statement) {
        line = statement;
        Matcher assignment = Pattern.compile("(?s)^([A-Za-z_]+)=\\$\\((.*)\\)$").matcher(statement);
        if (assignment.matches()) {
            variables.put(assignment.group(1), stripNewline(pipeline(words(assignment.group(2)), true).out));
            return;
        }
        List<String> words = words(statement);
        if (!words.isEmpty() && words.get(0).equals("until")) {
            runUntil(words);
            return;
        }
        pipeline(words, true);
    }

    private void runUntil(List<String> words) {
        int doAt = words.indexOf("do");
        int done = words.indexOf("done");
        if (doAt < 0 || done != words.size() - 1 || !words.get(doAt - 1).equals(";")
                || !words.subList(doAt + 1, done).equals(List.of("sleep", words.get(doAt + 2), ";"))) {
            throw unsupported("a loop must be: until PIPELINE; do sleep N; done");
        }
        List<String> condition = words.subList(1, doAt - 1);
        for (int attempt = 0; attempt < 120; attempt++) {
            if (pipeline(condition, false).status == 0) {
                pipeline(condition, true); // once more, reported: its calls must answer as the example expects
                return;
            }
            whileWaiting.run();
        }
        throw new AssertionError("README loop never ended: " + line);
    }

    private record Result(String out, int status) {}

    private Result pipeline(List<String> words, boolean report) {
        String input = "";
        int status = 0;
        List<String> command = new ArrayList<>();
        for (int i = 0; i <= words.size(); i++) {
            if (i == words.size() || words.get(i).equals("|")) {
                Result result = command(command, input, report);
                input = result.out;
                status = result.status;
                command = new ArrayList<>();
            } else {
                command.add(words.get(i));
            }
        }
        return new Result(input, status);
    }

    private Result command(List<String> words, String input, boolean report) {
        List<String> args = new ArrayList<>();
        String redirect = null;
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equals(">")) {
                redirect = words.get(++i);
            } else if (words.get(i).startsWith(">")) {
                redirect = words.get(i).substring(1);
            } else {
                args.add(words.get(i));
            }
        }
        if (args.isEmpty()) {
            throw unsupported("an empty command");
        }
        Result result = switch (args.get(0)) {
            case "curl" -> curl(args.subList(1, args.size()), report);
            case "grep" -> grep(args.subList(1, args.size()), input);
            case "head" -> head(args.subList(1, args.size()), input);
            case "cut" -> cut(args.subList(1, args.size()), input);
            case "tr" -> tr(args.subList(1, args.size()), input);
            case "tee" -> {
                files.put(args.get(1), input);
                yield new Result(input, 0);
            }
            default -> throw unsupported("the command " + args.get(0));
        };
        if (redirect != null) {
            if (!redirect.equals("/dev/null")) {
                files.put(redirect, result.out);
            }
            return new Result("", result.status);
        }
        return result;
    }

    private Result curl(List<String> args, boolean report) {
        String method = null;
        String url = null;
        String data = null;
        String headerFile = null;
        String outputFile = null;
        String writeOut = null;
        boolean fail = false;
        boolean include = false;
        HttpRequest.Builder request = HttpRequest.newBuilder();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.matches("-[sSfi]+")) {
                fail |= arg.contains("f");
                include |= arg.contains("i");
            } else if (arg.equals("-X")) {
                method = args.get(++i);
            } else if (arg.equals("-H")) {
                String[] header = args.get(++i).split(":\\s*", 2);
                request.header(header[0], header[1]);
            } else if (arg.equals("-d")) {
                data = args.get(++i);
            } else if (arg.equals("-D")) {
                headerFile = args.get(++i);
            } else if (arg.equals("-o")) {
                outputFile = args.get(++i);
            } else if (arg.equals("-w")) {
                writeOut = args.get(++i);
            } else if (!arg.startsWith("-") && url == null) {
                url = arg;
            } else {
                throw unsupported("the curl option " + arg);
            }
        }
        String target;
        if (url != null && url.startsWith("http://127.0.0.1:8080")) {
            target = base + url.substring("http://127.0.0.1:8080".length());
        } else if (url != null && url.startsWith(base)) {
            target = url; // a URL the server answered with (a status URL, a file)
        } else {
            throw unsupported("a curl call to another server than http://127.0.0.1:8080: " + url);
        }
        String verb = method != null ? method : data != null ? "POST" : "GET";
        request.uri(URI.create(target)).method(verb, data == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(data));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("README call failed: " + line, e);
        }
        if (report) {
            onCall.accept(new Call(line, verb, url, response.statusCode(), response.body()));
        }
        StringBuilder headers = new StringBuilder("HTTP/1.1 " + response.statusCode() + "\r\n");
        response.headers().map().forEach((name, values) -> values.forEach(
                value -> headers.append(name).append(": ").append(value).append("\r\n")));
        headers.append("\r\n");
        if (headerFile != null) {
            files.put(headerFile, headers.toString());
        }
        String body = (include ? headers : "") + response.body();
        String out = body;
        if (outputFile != null) {
            if (!outputFile.equals("/dev/null")) {
                files.put(outputFile, body);
            }
            out = "";
        }
        if (writeOut != null) {
            if (!writeOut.equals("%{http_code}")) {
                throw unsupported("curl -w " + writeOut);
            }
            out += response.statusCode();
        }
        return new Result(out, fail && response.statusCode() >= 400 ? 22 : 0);
    }

    private Result grep(List<String> args, String input) {
        boolean only = false;
        boolean ignoreCase = false;
        boolean quiet = false;
        boolean whole = false;
        String pattern = null;
        String file = null;
        for (String arg : args) {
            if (arg.matches("-[oiqx]+")) {
                only |= arg.contains("o");
                ignoreCase |= arg.contains("i");
                quiet |= arg.contains("q");
                whole |= arg.contains("x");
            } else if (pattern == null) {
                pattern = arg;
            } else if (file == null) {
                file = arg;
            } else {
                throw unsupported("grep " + arg);
            }
        }
        String text = file == null ? input : files.get(file);
        if (text == null) {
            throw new AssertionError("README example reads " + file + ", which no earlier example wrote: " + line);
        }
        // The basic regular expressions the examples use mean the same in Java.
        Pattern regex = Pattern.compile(whole ? "^(?:" + pattern + ")$" : pattern,
                ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        StringBuilder out = new StringBuilder();
        for (String textLine : text.split("\n")) {
            Matcher matcher = regex.matcher(textLine);
            while (matcher.find()) {
                out.append(only ? matcher.group() : textLine).append('\n');
                if (!only) {
                    break;
                }
            }
        }
        return new Result(quiet ? "" : out.toString(), out.isEmpty() ? 1 : 0);
    }

    private Result head(List<String> args, String input) {
        int count = args.size() == 1 && args.get(0).matches("-\\d+") ? Integer.parseInt(args.get(0).substring(1))
                : args.size() == 2 && args.get(0).equals("-n") ? Integer.parseInt(args.get(1)) : -1;
        if (count < 0) {
            throw unsupported("head " + args);
        }
        StringBuilder out = new StringBuilder();
        input.lines().limit(count).forEach(l -> out.append(l).append('\n'));
        return new Result(out.toString(), 0);
    }

    private Result cut(List<String> args, String input) {
        String delimiter = null;
        int field = -1;
        for (String arg : args) {
            if (arg.startsWith("-d") && arg.length() == 3) {
                delimiter = arg.substring(2);
            } else if (arg.matches("-f\\d+")) {
                field = Integer.parseInt(arg.substring(2));
            } else {
                throw unsupported("cut " + arg);
            }
        }
        if (delimiter == null || field < 1) {
            throw unsupported("cut without -dX -fN");
        }
        StringBuilder out = new StringBuilder();
        for (String textLine : input.split("\n", -1)) {
            if (textLine.isEmpty()) {
                continue;
            }
            String[] fields = textLine.split(Pattern.quote(delimiter), -1);
            out.append(fields.length == 1 ? textLine : field <= fields.length ? fields[field - 1] : "").append('\n');
        }
        return new Result(out.toString(), 0);
    }

    private Result tr(List<String> args, String input) {
        if (args.size() != 2 || !args.get(0).equals("-d")) {
            throw unsupported("tr " + args);
        }
        String delete = args.get(1).replace("\\r", "\r").replace("\\n", "\n");
        StringBuilder out = new StringBuilder();
        input.chars().filter(c -> delete.indexOf(c) < 0).forEach(c -> out.append((char) c));
        return new Result(out.toString(), 0);
    }

    /** Splits a statement into words the way the shell does for these examples; {@code |} {@code ;} are words. */
    private List<String> words(String statement) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < statement.length(); i++) {
            char c = statement.charAt(i);
            if (c == '\'') {
                int end = statement.indexOf('\'', i + 1);
                word.append(statement, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int end = i + 1;
                StringBuilder quoted = new StringBuilder();
                while (statement.charAt(end) != '"') {
                    if (statement.charAt(end) == '$' && statement.startsWith("$(", end)) {
                        int close = closing(statement, end + 1);
                        quoted.append(substitution(statement.substring(end + 2, close)));
                        end = close + 1;
                    } else if (statement.charAt(end) == '$') {
                        Matcher name = Pattern.compile("\\$([A-Za-z_]+)").matcher(statement).region(end,
                                statement.length());
                        if (!name.lookingAt()) {
                            throw unsupported("a $ that is not $NAME or $(...)");
                        }
                        quoted.append(variable(name.group(1)));
                        end = name.end();
                    } else if (statement.charAt(end) == '\\') {
                        quoted.append(statement.charAt(end + 1));
                        end += 2;
                    } else {
                        quoted.append(statement.charAt(end++));
                    }
                }
                word.append(quoted);
                i = end;
                inWord = true;
            } else if (c == '$' && statement.startsWith("$(", i)) {
                int close = closing(statement, i + 1);
                // Kept as written: only an assignment's right-hand side is run, as a pipeline of its own.
                word.append(statement, i, close + 1);
                i = close;
                inWord = true;
            } else if (c == '$') {
                throw unsupported("an unquoted $");
            } else if (Character.isWhitespace(c) || c == '|' || c == ';') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                if (c == '|' || c == ';') {
                    words.add(String.valueOf(c));
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** What a {@code $(...)} inside double quotes stands for: only {@code date} is run there. */
    private String substitution(String command) {
        Matcher date = Pattern.compile("date -u -d '(\\d+) days ago' \\+%FT%TZ").matcher(command.strip());
        if (!date.matches()) {
            throw unsupported("$(" + command + ")");
        }
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.now().minus(Long.parseLong(date.group(1)), ChronoUnit.DAYS)
                        .truncatedTo(ChronoUnit.SECONDS));
    }

    private String variable(String name) {
        String value = variables.get(name);
        if (value == null) {
            throw new AssertionError("README example uses $" + name + ", which no earlier example set: " + line);
        }
        return value;
    }

    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                i = text.indexOf('\'', i + 1);
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed $( in " + text);
    }

    /** Whether the quotes in a statement are all closed. */
    private static boolean balanced(String text) {
        char open = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (open == 0 && (c == '\'' || c == '"')) {
                open = c;
            } else if (open == '"' && c == '\\') {
                i++;
            } else if (c == open) {
                open = 0;
            }
        }
        return open == 0;
    }

    /** Drops a {@code #} comment that starts a word outside quotes. */
    private static String stripComment(String text) {
        char open = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (open == 0 && (c == '\'' || c == '"')) {
                open = c;
            } else if (c == open) {
                open = 0;
            } else if (open == 0 && c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                return text.substring(0, i);
            }
        }
        return text;
    }

    private static String stripNewline(String text) {
        return text.replaceAll("\n+$", "");
    }

    private AssertionError unsupported(String what) {
        return new AssertionError("ReadmeIT cannot run " + what + " in README example: " + line);
    }
}
