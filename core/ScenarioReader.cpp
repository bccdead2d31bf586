#include "ScenarioReader.h"

#include "AnalyticFunctions.h"
#include "Expression.h"
#include "InputFile.h"
#include "JsonDuplicateKeys.h"
#include "MessageText.h"
#include "NumberText.h"
#include "RecommendedDefaults.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <filesystem>
#include <set>

namespace gdviz {

namespace {

/// Thrown inside the reader only, caught in parseScenario(): the message the user reads.
struct Rejection {
    std::string message;
};

[[noreturn]] void reject(const std::string &field, const std::string &what)
{
    throw Rejection{field + ": " + what};
}

std::string typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return "null";
    case QJsonValue::Bool: return "a boolean";
    case QJsonValue::Double: return "a number";
    case QJsonValue::String: return "a string";
    case QJsonValue::Array: return "an array";
    case QJsonValue::Object: return "an object";
    case QJsonValue::Undefined: break;
    }
    return "nothing";
}

/// One JSON object and its path in the file ("runs[1]"), with typed, range-checked getters.
/// Every key read is remembered, so that checkNoOtherKeys() can reject the unknown ones.
class Fields {
public:
    Fields(const QJsonValue &value, std::string path)
        : m_path(std::move(path))
    {
        if (value.isUndefined())
            reject(m_path, "is missing");
        if (!value.isObject())
            reject(m_path.empty() ? "top level" : m_path, "must be an object, got " + typeName(value));
        m_object = value.toObject();
    }

    std::string field(const std::string &key) const { return m_path.empty() ? key : m_path + "." + key; }
    bool has(const std::string &key) const { return m_object.contains(QString::fromStdString(key)); }

    QJsonValue value(const std::string &key)
    {
        m_known.insert(key);
        return m_object.value(QString::fromStdString(key));
    }

    double real(const std::string &key, double fallback)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return fallback;
        if (!v.isDouble())
            reject(field(key), "must be a number, got " + typeName(v));
        const double d = v.toDouble();
        if (!std::isfinite(d))
            reject(field(key), "must be a finite number");
        return d;
    }

    double realAtLeast(const std::string &key, double fallback, double min, bool exclusive)
    {
        const double d = real(key, fallback);
        if (exclusive ? !(d > min) : !(d >= min))
            reject(field(key), std::string("must be ") + (exclusive ? "> " : ">= ") + shortestNumber(min) + ", got " + shortestNumber(d));
        return d;
    }

    long long integer(const std::string &key, long long fallback, long long min, long long max)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return fallback;
        const double d = v.isDouble() ? v.toDouble() : NAN;
        if (!v.isDouble() || d != std::floor(d))
            reject(field(key), "must be a whole number, got " + (v.isDouble() ? shortestNumber(d) : typeName(v)));
        if (d < double(min) || d > double(max))
            reject(field(key), "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + shortestNumber(d));
        return static_cast<long long>(d);
    }

    bool boolean(const std::string &key, bool fallback)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return fallback;
        if (!v.isBool())
            reject(field(key), "must be true or false, got " + typeName(v));
        return v.toBool();
    }

    /// A string of at most maxCharacters characters (characterCount(), MessageText.h).
    std::string string(const std::string &key, bool required, std::size_t maxCharacters = maxKeywordCharacters)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined()) {
            if (required)
                reject(field(key), "is missing");
            return {};
        }
        if (!v.isString())
            reject(field(key), "must be a string, got " + typeName(v));
        std::string text = v.toString().toStdString();
        if (const std::string problem = lengthProblem(text, maxCharacters); !problem.empty())
            reject(field(key), problem);
        return text;
    }

    /// A [first, second] pair of finite numbers; false when the key is absent.
    bool pair(const std::string &key, double *first, double *second)
    {
        const QJsonValue v = value(key);
        if (v.isUndefined())
            return false;
        const QJsonArray a = v.toArray();
        if (!v.isArray() || a.size() != 2 || !a[0].isDouble() || !a[1].isDouble())
            reject(field(key), "must be an array of two numbers");
        *first = a[0].toDouble();
        *second = a[1].toDouble();
        if (!std::isfinite(*first) || !std::isfinite(*second))
            reject(field(key), "must hold finite numbers");
        return true;
    }

    void checkNoOtherKeys(const std::string &hint = {}) const
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            const std::string key = it.key().toStdString();
            if (!m_known.count(key))
                reject(field(excerpt(key)), "unknown key" + (hint.empty() ? std::string() : " (" + hint + ")"));
        }
    }

private:
    QJsonObject m_object;
    std::string m_path;
    std::set<std::string> m_known;
};

ObjectiveSpec readObjective(Fields f)
{
    ObjectiveSpec spec;
    spec.kind = f.string("kind", true);
    if (const AnalyticFunctionInfo *info = findAnalyticFunction(spec.kind)) {
        std::string names;
        for (const auto &p : info->parameters) {
            if (f.has(p.name))
                spec.parameters[p.name] = f.real(p.name, p.defaultValue);
            names += (names.empty() ? "" : ", ") + p.name;
        }
        f.checkNoOtherKeys(names.empty() ? "'" + spec.kind + "' takes no parameters" : "'" + spec.kind + "' takes: " + names);
        return spec;
    }
    if (spec.kind == "expression") {
        spec.expression = f.string("expr", true, maxFormulaCharacters);
        f.checkNoOtherKeys("'expression' takes: expr");
        return spec;
    }
    if (!spec.isData()) {
        std::string all;
        for (const auto &info : analyticFunctions())
            all += info.name + ", ";
        reject(f.field("kind"), "unknown objective " + quotedExcerpt(spec.kind) + " (known: " + all
                                    + "expression, linear_regression, logistic_regression)");
    }
    Fields data(f.value("data"), f.field("data"));
    f.checkNoOtherKeys("a data objective takes: data");
    if (data.has("csv") == data.has("generate"))
        reject(f.field("data"), "must hold exactly one of \"csv\" or \"generate\"");
    if (data.has("csv")) {
        spec.csvPath = data.string("csv", true, maxPathCharacters);
        if (spec.csvPath.empty())
            reject(data.field("csv"), "must be a file name");
    } else {
        Fields g(data.value("generate"), data.field("generate"));
        DataGeneratorSettings s;
        s.n = std::size_t(g.integer("n", long(s.n), 1, (long long)maxDataSamples));
        g.pair("x_range", &s.xMin, &s.xMax);
        s.seed = std::uint64_t(g.integer("seed", 0, 0, 1LL << 53));
        if (spec.isLogistic()) {
            s.balance = g.real("balance", s.balance);
            s.separation = g.real("separation", s.separation);
            g.checkNoOtherKeys("logistic data takes: n, x_range, seed, balance, separation");
        } else {
            s.slope = g.real("slope", s.slope);
            s.intercept = g.real("intercept", s.intercept);
            s.noise = g.real("noise", s.noise);
            g.checkNoOtherKeys("linear data takes: n, x_range, seed, slope, intercept, noise");
        }
        const std::string problem = s.validate(spec.isLogistic());
        if (!problem.empty())
            throw Rejection{g.field(problem)};
        spec.generate = s;
    }
    spec.standardizeX = data.boolean("standardize_x", false);
    data.checkNoOtherKeys();
    return spec;
}

LearningRateSchedule readSchedule(Fields f)
{
    LearningRateSchedule s;
    const std::string kind = f.string("kind", true);
    const ScheduleKindInfo *info = findScheduleKind(kind);
    if (!info)
        reject(f.field("kind"), "unknown schedule " + quotedExcerpt(kind) + " (known: constant, step, exponential, inverse_time, cosine)");
    s.kind = info->kind;
    using K = LearningRateSchedule::Kind;
    switch (s.kind) {
    case K::Constant:
        break;
    case K::Step:
        s.stepSize = long(f.integer("step_size", s.stepSize, 1, 1LL << 40));
        s.gamma = f.real("gamma", s.gamma);
        break;
    case K::Exponential:
        s.gamma = f.real("gamma", s.gamma);
        break;
    case K::InverseTime:
        s.decay = f.real("decay", s.decay);
        break;
    case K::Cosine:
        s.tMax = long(f.integer("t_max", s.tMax, 1, 1LL << 40));
        s.etaMin = f.real("eta_min", s.etaMin);
        break;
    }
    f.checkNoOtherKeys("schedule '" + kind + "'");
    return s; // checked with the rest of the run: RunSettings::validate
}

/// A run as read, and which of its values the objective decides once it is built (RecommendedDefaults.h).
struct RunRead {
    RunSettings settings;
    bool recommendedLr = false; // "lr": "recommended"
    bool defaultStart = false; // no "start"
};

RunRead readRun(Fields f, bool dataObjective)
{
    RunRead read;
    RunSettings &run = read.settings;
    run.name = f.string("name", true, maxRunNameCharacters);
    if (excerpt(run.name, run.name.size()) != run.name) // it holds something excerpt() escapes
        reject(f.field("name"), "must be printable text (no line breaks, tabs or control characters), got "
                                    + quotedExcerpt(run.name));
    const std::string optimizer = f.string("optimizer", false);
    const OptimizerInfo *info = findOptimizer(optimizer.empty() ? "sgd" : optimizer);
    if (!info)
        reject(f.field("optimizer"), "unknown optimizer " + quotedExcerpt(optimizer)
                                         + " (known: sgd, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam)");
    run.optimizer = OptimizerSettings::defaultsFor(info->kind);
    if (const QJsonValue lr = f.value("lr"); lr.isString()) {
        if (lr.toString() != QLatin1String("recommended"))
            reject(f.field("lr"), "must be a number or \"recommended\", got \"" + excerpt(lr.toString().toStdString()) + "\"");
        read.recommendedLr = true; // resolved with the objective; torch's default stands in until then
    } else if (!lr.isUndefined() && !lr.isDouble()) {
        reject(f.field("lr"), "must be a number or \"recommended\", got " + typeName(lr));
    } else {
        run.optimizer.lr = f.real("lr", run.optimizer.lr); // absent: torch's default for the optimizer
    }
    std::string names = "lr";
    for (const HyperParameterInfo &p : info->parameters) {
        names += ", " + p.name;
        switch (p.type) {
        case HyperParameterInfo::Type::Real:
            run.optimizer.*p.real = f.real(p.name, run.optimizer.*p.real);
            break;
        case HyperParameterInfo::Type::Flag:
            run.optimizer.*p.flag = f.boolean(p.name, run.optimizer.*p.flag);
            break;
        case HyperParameterInfo::Type::Pair:
            f.pair(p.name, &(run.optimizer.*p.real), &(run.optimizer.*p.second));
            break;
        }
    }

    double x = 0, y = 0;
    read.defaultStart = !f.pair("start", &x, &y); // absent: the objective's default start, resolved with it
    run.start = Vec2(x, y);

    const QJsonValue batch = f.value("batch_size");
    if (batch.isString()) {
        if (batch.toString() != QLatin1String("full"))
            reject(f.field("batch_size"), "must be \"full\" or a whole number >= 1, got \"" + excerpt(batch.toString().toStdString()) + "\"");
        run.batchSize = fullBatch;
    } else {
        run.batchSize = long(f.integer("batch_size", fullBatch, 1, 1LL << 40));
    }
    run.shuffle = f.boolean("shuffle", true);
    run.seed = std::uint64_t(f.integer("seed", 0, 0, 1LL << 53));
    if (f.has("schedule"))
        run.schedule = readSchedule(Fields(f.value("schedule"), f.field("schedule")));
    (void)dataObjective; // batch_size, shuffle and seed are accepted, and ignored, for analytic objectives
    f.checkNoOtherKeys("optimizer '" + info->name + "' takes: " + names
                       + "; every run takes: name, optimizer, start, schedule, batch_size, shuffle, seed");
    if (const std::string problem = run.validate(); !problem.empty())
        throw Rejection{f.field(problem)};
    return read;
}

StopRules readStop(Fields f, bool dataObjective)
{
    StopRules stop;
    const bool hasSteps = f.has("max_steps"), hasEpochs = f.has("max_epochs");
    stop.maxSteps = long(f.integer("max_steps", stop.maxSteps, 0, 1LL << 40)); // 0: no limit
    if (hasEpochs) {
        if (!dataObjective)
            reject(f.field("max_epochs"), "only data objectives have epochs; use max_steps");
        stop.maxEpochs = f.realAtLeast("max_epochs", 0, 0, true);
        if (!hasSteps)
            stop.maxSteps = 0; // epochs alone decide
    }
    stop.gradTol = f.realAtLeast("grad_tol", 0, 0, false);
    stop.lossTol = f.realAtLeast("loss_tol", 0, 0, false);
    if (f.has("divergence_bound")) // replaces the view rule (StopRules.h)
        stop.divergenceBound = f.realAtLeast("divergence_bound", 0, 0, true);
    f.checkNoOtherKeys("stop takes: max_steps, max_epochs, grad_tol, loss_tol, divergence_bound");
    return stop;
}

ViewWindow readView(Fields f)
{
    ViewWindow v;
    if (!f.pair("x", &v.xMin, &v.xMax) || !(v.xMin < v.xMax))
        reject(f.field("x"), "must be [low, high] with low < high");
    if (!f.pair("y", &v.yMin, &v.yMax) || !(v.yMin < v.yMax))
        reject(f.field("y"), "must be [low, high] with low < high");
    f.checkNoOtherKeys("view takes: x, y");
    return v;
}

/// "line L, column C" of a byte offset, for JSON syntax errors.
std::string lineAndColumn(const std::string &text, std::size_t offset)
{
    const TextPosition p = textPosition(text, offset);
    return "line " + std::to_string(p.line) + ", column " + std::to_string(p.column);
}

/// "L:C" of a byte offset, for the two places of a duplicate key.
std::string shortPosition(const std::string &text, std::size_t offset)
{
    const TextPosition p = textPosition(text, offset);
    return std::to_string(p.line) + ":" + std::to_string(p.column);
}

} // namespace

std::optional<Scenario> parseScenario(const std::string &json, const std::string &fileLabel,
                                      const std::string &baseDir, std::string *error)
{
    auto fail = [&](const std::string &message) -> std::optional<Scenario> {
        if (error)
            *error = fileLabel + ": " + message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(json), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt refuses NaN, Infinity and numbers beyond double's range (1e400, also 1e-400) as "illegal number".
        const std::string hint = parseError.error == QJsonParseError::IllegalNumber
                                     ? " (JSON numbers must be finite doubles: no NaN or Infinity; 0 or magnitudes between about 1e-308 and 1e308)"
                                     : "";
        return fail(lineAndColumn(json, std::size_t(parseError.offset)) + ": malformed JSON: "
                    + parseError.errorString().toStdString() + hint);
    }
    if (const std::optional<DuplicateKey> duplicate = findDuplicateKey(json))
        return fail((duplicate->objectPath.empty() ? std::string("top level") : duplicate->objectPath) + ": key \""
                    + excerpt(duplicate->key) + "\" appears twice, at " + shortPosition(json, duplicate->firstOffset)
                    + " and " + shortPosition(json, duplicate->secondOffset));
    try {
        Fields top(document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array()), "");
        Scenario scenario;
        scenario.objectiveSpec = readObjective(Fields(top.value("objective"), "objective"));
        const bool data = scenario.objectiveSpec.isData();

        const QJsonValue runs = top.value("runs");
        if (!runs.isArray())
            reject("runs", runs.isUndefined() ? "is missing" : "must be an array of runs, got " + typeName(runs));
        const QJsonArray runArray = runs.toArray();
        std::vector<RunRead> runsRead;
        if (runArray.isEmpty())
            reject("runs", "must hold at least one run");
        if (std::size_t(runArray.size()) > maxScenarioRuns)
            reject("runs", "at most " + std::to_string(maxScenarioRuns) + " runs, got " + groupedNumber(std::size_t(runArray.size())));
        for (qsizetype i = 0; i < runArray.size(); ++i) {
            const std::string path = "runs[" + std::to_string(i) + "]";
            RunRead run = readRun(Fields(runArray[i], path), data);
            for (std::size_t j = 0; j < runsRead.size(); ++j)
                if (runsRead[j].settings.name == run.settings.name)
                    reject(path + ".name", quotedExcerpt(run.settings.name) + " is already the name of runs[" + std::to_string(j) + "]");
            runsRead.push_back(std::move(run));
        }
        scenario.stop = top.has("stop") ? readStop(Fields(top.value("stop"), "stop"), data) : StopRules{};
        if (top.has("view"))
            scenario.view = readView(Fields(top.value("view"), "view"));
        if (const QJsonValue raceBy = top.value("race_by"); !raceBy.isUndefined()) {
            if (raceBy == QLatin1String("samples"))
                scenario.raceBy = RaceClock::Samples;
            else if (raceBy != QLatin1String("updates"))
                reject("race_by", "must be \"updates\" or \"samples\", got "
                                      + (raceBy.isString() ? "\"" + excerpt(raceBy.toString().toStdString()) + "\"" : typeName(raceBy)));
        }
        top.checkNoOtherKeys("a scenario takes: objective, runs, stop, view, race_by");

        std::string buildError;
        scenario.objective = buildObjective(scenario.objectiveSpec, baseDir, &scenario.data, &buildError);
        if (!scenario.objective)
            return fail(buildError);
        // What the objective decides: the runs keep the numbers (a saved file writes them, not "recommended").
        for (RunRead &run : runsRead) {
            if (run.recommendedLr)
                run.settings.optimizer.lr = recommendedLearningRate(*scenario.objective, run.settings.optimizer.kind);
            if (run.defaultStart)
                run.settings.start = defaultStart(*scenario.objective);
            scenario.runs.push_back(std::move(run.settings));
        }
        if (const std::string problem = checkFiniteSomewhere(scenario); !problem.empty())
            return fail(problem);
        return scenario;
    } catch (const Rejection &rejection) {
        return fail(rejection.message);
    }
}

std::optional<Scenario> readScenario(const std::string &path, std::string *error)
{
    // Never blocks and never reads without end: a FIFO, /dev/zero, a socket or a folder is refused at once, and
    // so is a file over the size limit (InputFile.h).
    std::string readError;
    const std::optional<std::string> bytes = readInputFile(path, maxScenarioFileBytes, &readError);
    if (!bytes) {
        if (error)
            *error = path + ": " + readError;
        return std::nullopt;
    }
    const std::string baseDir = std::filesystem::path(path).parent_path().string();
    return parseScenario(*bytes, path, baseDir, error);
}

} // namespace gdviz
