#include "StepInspector.h"

#include "EventWatcher.h"

#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include <cmath>

namespace gdviz {

namespace {

constexpr QChar minusSign(0x2212);
constexpr int shownDigits = 5; // readable on a projector; the tooltip has all 17
constexpr std::size_t samplesListed = 6;

/// A number as it reads best: 5 significant digits, a real minus sign, powers of ten written as such
/// ("1.2346·10⁻⁵", not "1.2346e-05"). Rich text.
QString readable(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("∞") : QString(minusSign) + QStringLiteral("∞");
    QString text = QString::number(value, 'g', shownDigits);
    if (const qsizetype e = text.indexOf(QLatin1Char('e')); e >= 0) {
        const QString mantissa = text.left(e);
        const int exponent = text.mid(e + 1).toInt();
        const QString power = QStringLiteral("10<sup>%1</sup>").arg(exponent);
        text = mantissa == QLatin1String("1") ? power : mantissa == QLatin1String("-1") ? QStringLiteral("-") + power
                                                                                          : mantissa + QStringLiteral("·") + power;
    }
    text.replace(QLatin1Char('-'), minusSign);
    return text;
}

QString fullText(double value)
{
    return QString::number(value, 'g', 17); // reads back to the same double
}

QString vec(const Vec2 &v)
{
    return QStringLiteral("(%1,&nbsp;%2)").arg(readable(v[0]), readable(v[1])); // a line wraps between vectors, not inside one
}

/// Formula lines as paragraphs, a little apart, so that a wrapped line still reads as one.
QString paragraphs(const QStringList &lines)
{
    QString html;
    for (const QString &line : lines)
        html += QStringLiteral("<p style=\"margin-top:0; margin-bottom:3px; margin-left:0.8em\">%1</p>").arg(line);
    return html;
}

Vec2 squared(const Vec2 &v)
{
    return v.array().square().matrix();
}

/// A symbol of the optimizer table ("m", "v_max", "μ_prod") as the formula writes it: italic, with its index.
QString symbolHtml(const std::string &symbol)
{
    const QString s = QString::fromStdString(symbol).toHtmlEscaped();
    const qsizetype underscore = s.indexOf(QLatin1Char('_'));
    if (underscore > 0)
        return QStringLiteral("<i>%1</i><sub>%2</sub>").arg(s.left(underscore), s.mid(underscore + 1));
    return QStringLiteral("<i>%1</i>").arg(s);
}

/// The table's symbol for one of the rule's quantities, so that the formula and the state rows agree.
QString stateSymbol(OptimizerKind kind, const char *name)
{
    for (const StateQuantityInfo &q : optimizerInfo(kind).state)
        if (q.name == name)
            return symbolHtml(q.symbol);
    return QString::fromLatin1(name);
}

/// The rule as a formula, line by line, and the same lines with this update's numbers.
struct RuleLines {
    QStringList rule, numbers, where;
    void add(const QString &r, const QString &n)
    {
        rule << r;
        numbers << n;
    }
    void define(const QString &symbol, const char *torchName, double value)
    {
        where << QStringLiteral("%1 = %2 = %3").arg(symbol, QString::fromLatin1(torchName), readable(value));
    }
};

const QString g = QStringLiteral("<i>g</i>");
const QString th = QStringLiteral("θ");
const QString arrow = QStringLiteral(" ← ");
const QString eps = QStringLiteral("ε");
const QString b1 = QStringLiteral("β<sub>1</sub>");
const QString b2 = QStringLiteral("β<sub>2</sub>");
const QString tPow = QStringLiteral("<sup><i>t</i></sup>");

/// A running mean, symbol ← decay·symbol + (1 − decay)·input (the moments of RMSprop, Adadelta, Adam, Adamax,
/// NAdam), and the same with this update's numbers.
void addRunningMean(RuleLines &out, const QString &symbol, const QString &decaySymbol, double decay, const Vec2 &before,
                    const QString &inputSymbol, const Vec2 &input, const Vec2 &after)
{
    out.add(symbol + arrow + decaySymbol + symbol + QStringLiteral(" + (1 − ") + decaySymbol + QStringLiteral(")") + inputSymbol,
            symbol + arrow + QStringLiteral("%1·%2 + %3·%4 = %5").arg(readable(decay), vec(before), readable(1 - decay), vec(input), vec(after)));
}

/// The rule of e.optimizer (core/Optimizers.cpp's comments; torch.optim 1.13's documentation), only the terms
/// its settings use. The numbers between the lines (the weight-decayed gradient, bias corrections, directions)
/// are worked out here for reading only: theta after, the state and the loss come from the engine.
RuleLines describeRule(const UpdateExplanation &e, bool data)
{
    const OptimizerSettings &s = e.optimizer;
    const OptimizerKind kind = s.kind;
    const QString lr = readable(e.lr);
    const double t = double(e.stateAfter.step); // torch's step: this update's count in the optimizer's state
    RuleLines out;
    auto sym = [kind](const char *name) { return stateSymbol(kind, name); };
    Vec2 grad = e.gradient;
    Vec2 theta = e.thetaBefore;

    out.add(g + QStringLiteral(" = ∇<i>f</i>%1(θ)").arg(data ? QStringLiteral("<sub>batch</sub>") : QString()),
            g + QStringLiteral(" = ") + vec(grad));
    out.where << QObject::tr("lr = %1 (after the schedule)").arg(lr);
    if (s.weightDecay != 0) {
        const QString lambda = QStringLiteral("λ");
        out.define(lambda, "weight_decay", s.weightDecay);
        if (kind == OptimizerKind::AdamW) {
            const Vec2 decayed = theta * (1 - e.lr * s.weightDecay);
            out.add(th + arrow + th + QStringLiteral(" − lr·λ·θ"),
                    th + arrow + vec(theta) + QStringLiteral("·(1 − %1·%2) = %3").arg(lr, readable(s.weightDecay), vec(decayed)));
            theta = decayed;
        } else {
            const Vec2 withPenalty = grad + s.weightDecay * theta;
            out.add(g + arrow + g + QStringLiteral(" + λθ"),
                    g + arrow + vec(grad) + QStringLiteral(" + %1·%2 = %3").arg(readable(s.weightDecay), vec(theta), vec(withPenalty)));
            grad = withPenalty;
        }
    }
    auto thetaLine = [&](const QString &ruleText, const QString &factor, const Vec2 &direction) {
        out.add(th + arrow + ruleText, th + arrow + vec(theta) + QStringLiteral(" − %1·%2 = %3").arg(factor, vec(direction), vec(e.thetaAfter)));
    };

    switch (kind) {
    case OptimizerKind::Sgd: {
        Vec2 step = grad;
        if (s.momentum != 0) {
            const QString b = sym("momentum_buffer");
            const Vec2 &bufferAfter = e.stateAfter.sgd.momentumBuffer;
            out.define(QStringLiteral("μ"), "momentum", s.momentum);
            if (!e.stateBefore.sgd.hasMomentumBuffer) {
                out.add(b + arrow + g + QStringLiteral("  (the first update makes the buffer)"), b + arrow + vec(bufferAfter));
            } else if (s.dampening != 0) {
                out.define(QStringLiteral("τ"), "dampening", s.dampening);
                out.add(b + arrow + QStringLiteral("μ") + b + QStringLiteral(" + (1 − τ)") + g,
                        b + arrow + QStringLiteral("%1·%2 + %3·%4 = %5")
                                        .arg(readable(s.momentum), vec(e.stateBefore.sgd.momentumBuffer), readable(1 - s.dampening),
                                             vec(grad), vec(bufferAfter)));
            } else {
                out.add(b + arrow + QStringLiteral("μ") + b + QStringLiteral(" + ") + g,
                        b + arrow + QStringLiteral("%1·%2 + %3 = %4")
                                        .arg(readable(s.momentum), vec(e.stateBefore.sgd.momentumBuffer), vec(grad), vec(bufferAfter)));
            }
            if (s.nesterov) {
                step = grad + s.momentum * bufferAfter;
                out.add(g + arrow + g + QStringLiteral(" + μ") + b + QStringLiteral("  (nesterov)"),
                        g + arrow + QStringLiteral("%1 + %2·%3 = %4").arg(vec(grad), readable(s.momentum), vec(bufferAfter), vec(step)));
            } else {
                step = bufferAfter;
                out.add(g + arrow + b, g + arrow + vec(step));
            }
        }
        thetaLine(th + QStringLiteral(" − lr·") + g, lr, step);
        break;
    }
    case OptimizerKind::Adagrad: {
        const QString sum = sym("sum");
        out.define(eps, "eps", s.eps);
        QString clr = lr;
        double stepLr = e.lr;
        if (s.lrDecay != 0) {
            out.define(QStringLiteral("η"), "lr_decay", s.lrDecay);
            stepLr = e.lr / (1 + (t - 1) * s.lrDecay);
            out.add(QStringLiteral("clr = lr / (1 + (<i>t</i> − 1)·η)"),
                    QStringLiteral("clr = %1 / (1 + %2·%3) = %4").arg(lr, readable(t - 1), readable(s.lrDecay), readable(stepLr)));
            clr = readable(stepLr);
        }
        out.add(sum + arrow + sum + QStringLiteral(" + ") + g + QStringLiteral("<sup>2</sup>"),
                sum + arrow + QStringLiteral("%1 + %2 = %3").arg(vec(e.stateBefore.adagrad.sum), vec(squared(grad)), vec(e.stateAfter.adagrad.sum)));
        const Vec2 direction = (grad.array() / (e.stateAfter.adagrad.sum.array().sqrt() + s.eps)).matrix();
        thetaLine(th + QStringLiteral(" − %1·").arg(s.lrDecay != 0 ? QStringLiteral("clr") : QStringLiteral("lr")) + g + QStringLiteral(" / (√")
                      + sum + QStringLiteral(" + ε)"),
                  clr, direction);
        break;
    }
    case OptimizerKind::Rmsprop: {
        const QString v = sym("square_avg");
        const RmspropState &before = e.stateBefore.rmsprop, &after = e.stateAfter.rmsprop;
        out.define(QStringLiteral("α"), "alpha", s.alpha);
        out.define(eps, "eps", s.eps);
        addRunningMean(out, v, QStringLiteral("α"), s.alpha, before.squareAvg, g + QStringLiteral("<sup>2</sup>"), squared(grad), after.squareAvg);
        Vec2 meanSquare = after.squareAvg;
        QString scaled = v; // what the root is taken of
        if (s.centered) {
            const QString ga = sym("grad_avg");
            addRunningMean(out, ga, QStringLiteral("α"), s.alpha, before.gradAvg, g, grad, after.gradAvg);
            meanSquare = (after.squareAvg.array() - after.gradAvg.array().square()).matrix();
            out.add(QStringLiteral("<i>ṽ</i> = ") + v + QStringLiteral(" − ") + ga + QStringLiteral("<sup>2</sup>  (centered)"),
                    QStringLiteral("<i>ṽ</i> = ") + vec(meanSquare));
            scaled = QStringLiteral("<i>ṽ</i>");
        }
        const Vec2 direction = (grad.array() / (meanSquare.array().sqrt() + s.eps)).matrix();
        if (s.momentum > 0) {
            const QString b = sym("momentum_buffer");
            out.define(QStringLiteral("μ"), "momentum", s.momentum);
            out.add(b + arrow + QStringLiteral("μ") + b + QStringLiteral(" + ") + g + QStringLiteral(" / (√") + scaled + QStringLiteral(" + ε)"),
                    b + arrow + QStringLiteral("%1·%2 + %3 = %4").arg(readable(s.momentum), vec(before.momentumBuffer), vec(direction),
                                                                      vec(after.momentumBuffer)));
            thetaLine(th + QStringLiteral(" − lr·") + b, lr, after.momentumBuffer);
        } else {
            thetaLine(th + QStringLiteral(" − lr·") + g + QStringLiteral(" / (√") + scaled + QStringLiteral(" + ε)"), lr, direction);
        }
        break;
    }
    case OptimizerKind::Adadelta: {
        const QString v = sym("square_avg"), u = sym("acc_delta");
        const AdadeltaState &before = e.stateBefore.adadelta, &after = e.stateAfter.adadelta;
        out.define(QStringLiteral("ρ"), "rho", s.rho);
        out.define(eps, "eps", s.eps);
        addRunningMean(out, v, QStringLiteral("ρ"), s.rho, before.squareAvg, g + QStringLiteral("<sup>2</sup>"), squared(grad), after.squareAvg);
        const Vec2 delta = ((before.accDelta.array() + s.eps).sqrt() / (after.squareAvg.array() + s.eps).sqrt() * grad.array()).matrix();
        out.add(QStringLiteral("Δ = √(") + u + QStringLiteral(" + ε) / √(") + v + QStringLiteral(" + ε)·") + g,
                QStringLiteral("Δ = ") + vec(delta));
        addRunningMean(out, u, QStringLiteral("ρ"), s.rho, before.accDelta, QStringLiteral("Δ<sup>2</sup>"), squared(delta), after.accDelta);
        thetaLine(th + QStringLiteral(" − lr·Δ"), lr, delta);
        break;
    }
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW: {
        const QString m = sym("exp_avg"), v = sym("exp_avg_sq");
        const AdamState &before = e.stateBefore.adam, &after = e.stateAfter.adam;
        out.define(b1, "betas[0]", s.beta1);
        out.define(b2, "betas[1]", s.beta2);
        out.define(eps, "eps", s.eps);
        addRunningMean(out, m, b1, s.beta1, before.expAvg, g, grad, after.expAvg);
        addRunningMean(out, v, b2, s.beta2, before.expAvgSq, g + QStringLiteral("<sup>2</sup>"), squared(grad), after.expAvgSq);
        Vec2 second = after.expAvgSq;
        QString secondSymbol = v;
        if (s.amsgrad) {
            const QString vmax = sym("max_exp_avg_sq");
            out.add(vmax + arrow + QStringLiteral("max(") + vmax + QStringLiteral(", ") + v + QStringLiteral(")  (amsgrad)"),
                    vmax + arrow + QStringLiteral("max(%1, %2) = %3").arg(vec(before.maxExpAvgSq), vec(after.expAvgSq), vec(after.maxExpAvgSq)));
            second = after.maxExpAvgSq;
            secondSymbol = vmax;
        }
        const double correction1 = 1 - std::pow(s.beta1, t), correction2 = 1 - std::pow(s.beta2, t);
        const Vec2 mHat = after.expAvg / correction1, vHat = second / correction2;
        out.add(QStringLiteral("<i>m̂</i> = ") + m + QStringLiteral(" / (1 − ") + b1 + tPow + QStringLiteral(")"),
                QStringLiteral("<i>m̂</i> = %1 / (1 − %2<sup>%3</sup>) = %4").arg(vec(after.expAvg), readable(s.beta1), readable(t), vec(mHat)));
        out.add(QStringLiteral("<i>v̂</i> = ") + secondSymbol + QStringLiteral(" / (1 − ") + b2 + tPow + QStringLiteral(")"),
                QStringLiteral("<i>v̂</i> = %1 / (1 − %2<sup>%3</sup>) = %4").arg(vec(second), readable(s.beta2), readable(t), vec(vHat)));
        const Vec2 direction = (mHat.array() / (vHat.array().sqrt() + s.eps)).matrix();
        thetaLine(th + QStringLiteral(" − lr·<i>m̂</i> / (√<i>v̂</i> + ε)"), lr, direction);
        break;
    }
    case OptimizerKind::Adamax: {
        const QString m = sym("exp_avg"), u = sym("exp_inf");
        const AdamaxState &before = e.stateBefore.adamax, &after = e.stateAfter.adamax;
        out.define(b1, "betas[0]", s.beta1);
        out.define(b2, "betas[1]", s.beta2);
        out.define(eps, "eps", s.eps);
        addRunningMean(out, m, b1, s.beta1, before.expAvg, g, grad, after.expAvg);
        out.add(u + arrow + QStringLiteral("max(") + b2 + u + QStringLiteral(", |") + g + QStringLiteral("| + ε)"),
                u + arrow + QStringLiteral("max(%1·%2, %3) = %4")
                                .arg(readable(s.beta2), vec(before.expInf), vec((grad.array().abs() + s.eps).matrix()), vec(after.expInf)));
        const double correction1 = 1 - std::pow(s.beta1, t);
        const Vec2 direction = (after.expAvg.array() / after.expInf.array()).matrix();
        thetaLine(th + QStringLiteral(" − lr / (1 − ") + b1 + tPow + QStringLiteral(")·") + m + QStringLiteral(" / ") + u,
                  QStringLiteral("%1 / %2").arg(lr, readable(correction1)), direction);
        break;
    }
    case OptimizerKind::Nadam: {
        const QString m = sym("exp_avg"), v = sym("exp_avg_sq"), prod = sym("mu_product");
        const NadamState &before = e.stateBefore.nadam, &after = e.stateAfter.nadam;
        out.define(b1, "betas[0]", s.beta1);
        out.define(b2, "betas[1]", s.beta2);
        out.define(QStringLiteral("ψ"), "momentum_decay", s.momentumDecay);
        out.define(eps, "eps", s.eps);
        const double mu = s.beta1 * (1.0 - 0.5 * std::pow(0.96, t * s.momentumDecay));
        const double muNext = s.beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1) * s.momentumDecay));
        out.add(QStringLiteral("μ<sub><i>t</i></sub> = ") + b1 + QStringLiteral("(1 − ½·0.96<sup><i>t</i>ψ</sup>),  μ<sub><i>t</i>+1</sub> likewise"),
                QStringLiteral("μ<sub><i>t</i></sub> = %1,  μ<sub><i>t</i>+1</sub> = %2").arg(readable(mu), readable(muNext)));
        out.add(prod + arrow + prod + QStringLiteral("·μ<sub><i>t</i></sub>"),
                prod + arrow + QStringLiteral("%1·%2 = %3").arg(readable(before.muProduct), readable(mu), readable(after.muProduct)));
        addRunningMean(out, m, b1, s.beta1, before.expAvg, g, grad, after.expAvg);
        addRunningMean(out, v, b2, s.beta2, before.expAvgSq, g + QStringLiteral("<sup>2</sup>"), squared(grad), after.expAvgSq);
        const Vec2 vHat = after.expAvgSq / (1 - std::pow(s.beta2, t));
        out.add(QStringLiteral("<i>v̂</i> = ") + v + QStringLiteral(" / (1 − ") + b2 + tPow + QStringLiteral(")"), QStringLiteral("<i>v̂</i> = ") + vec(vHat));
        const Eigen::Array2d denom = vHat.array().sqrt() + s.eps;
        const double gShare = e.lr * (1 - mu) / (1 - after.muProduct);
        const double mShare = e.lr * muNext / (1 - after.muProduct * muNext);
        const Vec2 gPart = (gShare * grad.array() / denom).matrix(), mPart = (mShare * after.expAvg.array() / denom).matrix();
        out.add(th + arrow + th + QStringLiteral(" − lr(1 − μ<sub><i>t</i></sub>)/(1 − ") + prod + QStringLiteral(")·") + g
                    + QStringLiteral("/(√<i>v̂</i> + ε) − lr·μ<sub><i>t</i>+1</sub>/(1 − ") + prod + QStringLiteral("μ<sub><i>t</i>+1</sub>)·") + m
                    + QStringLiteral("/(√<i>v̂</i> + ε)"),
                th + arrow + QStringLiteral("%1 − %2 − %3 = %4").arg(vec(theta), vec(gPart), vec(mPart), vec(e.thetaAfter)));
        break;
    }
    }
    return out;
}

QString samplesDescription(const UpdateExplanation &e)
{
    if (e.sampleCount == 0)
        return QObject::tr("analytic gradient (no data)");
    if (e.batch.size() >= e.sampleCount)
        return QObject::tr("all %1 samples (full batch)").arg(e.sampleCount);
    QStringList indices;
    for (std::size_t i = 0; i < std::min(e.batch.size(), samplesListed); ++i)
        indices << QString::number(e.batch[i]);
    if (e.batch.size() > samplesListed)
        indices << QStringLiteral("…");
    if (e.batch.size() == 1)
        return QObject::tr("one sample: sample %1 (of %2)").arg(indices.front()).arg(e.sampleCount);
    return QObject::tr("batch of %1: samples %2 (of %3)").arg(e.batch.size()).arg(indices.join(QStringLiteral(", "))).arg(e.sampleCount);
}

QLabel *richLabel(const QString &text)
{
    auto *label = new QLabel(text);
    label->setTextFormat(Qt::RichText);
    return label;
}

} // namespace

StepInspector::StepInspector(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("stepInspector"));
    m_title = richLabel({});
    m_title->setObjectName(QStringLiteral("inspectorTitle"));
    m_title->setWordWrap(true);
    m_note = richLabel({});
    m_note->setObjectName(QStringLiteral("inspectorNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    m_formula = richLabel({});
    m_formula->setObjectName(QStringLiteral("inspectorFormula"));
    m_formula->setWordWrap(true);
    m_formula->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_numbers = richLabel({});
    m_numbers->setObjectName(QStringLiteral("inspectorNumbers"));
    m_numbers->setWordWrap(true);
    m_numbers->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table = new QWidget;

    auto *content = new QWidget;
    m_contentLayout = new QVBoxLayout(content);
    m_contentLayout->addWidget(m_title);
    m_contentLayout->addWidget(m_note);
    m_contentLayout->addWidget(m_formula);
    m_contentLayout->addWidget(m_numbers);
    m_contentLayout->addWidget(m_table);
    m_contentLayout->addStretch();
    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    // Never narrower than its numbers need (with room for the vertical bar): the dock keeps that width rather than
    // cutting the y column behind a sideways scroll bar (seen at 1024x768). It only grows, so that the dock does
    // not change width with every update shown.
    // Only while on screen: a tab behind the controls would otherwise take the plots' room for nothing.
    new EventWatcher(content, QEvent::LayoutRequest, [scroll, content] {
        const int needed = content->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width();
        if (content->isVisible() && needed > scroll->minimumWidth())
            scroll->setMinimumWidth(needed);
    }, EventWatcher::When::NextTurn);
    new EventWatcher(this, QEvent::Hide, [scroll] { scroll->setMinimumWidth(0); });
    setRun(-1, {}, {}, {});
}

void StepInspector::setRun(RunId id, const QString &name, const QString &firstParameter, const QString &secondParameter)
{
    m_runName = name;
    m_parameterNames[0] = firstParameter;
    m_parameterNames[1] = secondParameter;
    if (id == m_run && id >= 0)
        return;
    m_run = id;
    showMessage(id < 0 ? tr("Step inspector") : tr("Next update of %1").arg(name.toHtmlEscaped()),
                id < 0 ? tr("Select a run to see how its next update is made.") : tr("Working it out…"), false);
}

void StepInspector::showMessage(const QString &title, const QString &message, bool error)
{
    m_title->setText(QStringLiteral("<b>%1</b>").arg(title));
    m_note->setText(error ? QStringLiteral("<span style=\"color:#B00020\"><b>%1</b></span>").arg(message.toHtmlEscaped()) : message.toHtmlEscaped());
    m_note->setVisible(!message.isEmpty());
    m_formula->clear();
    m_formula->hide();
    m_numbers->clear();
    m_numbers->hide();
    auto *empty = new QWidget;
    delete m_contentLayout->replaceWidget(m_table, empty);
    delete m_table;
    m_table = empty;
    m_values.clear();
    m_stateNames.clear();
    m_samples = nullptr;
}

void StepInspector::showExplanation(RunId id, const UpdateExplanation &e)
{
    if (id != m_run || id < 0)
        return; // an answer about a run no longer selected
    const QString name = m_runName.toHtmlEscaped();
    if (!e.valid) {
        showMessage(tr("No next update of %1").arg(name), QString::fromStdString(e.why), true);
        return;
    }
    showMessage(e.runEnded ? tr("Update %1 of %2 (the next it would make)").arg(e.step).arg(name)
                           : tr("Update %1 of %2 (next)").arg(e.step).arg(name),
                e.runEnded ? tr("The run has ended (a stop rule): this is the update it would make if it went on.") : QString(), false);

    const bool data = e.sampleCount > 0;
    const RuleLines rule = describeRule(e, data);
    const QString title = QString::fromStdString(optimizerInfo(e.optimizer.kind).title).toHtmlEscaped();
    m_formula->setText(QStringLiteral("<p style=\"margin:0\"><b>%1</b> (torch.optim)</p>%2%3")
                           .arg(title, paragraphs(rule.rule), paragraphs({QObject::tr("where ") + rule.where.join(QStringLiteral(", "))})));
    m_formula->show();
    m_numbers->setText(tr("<p style=\"margin:0\"><b>This update</b>, t = %1</p>%2").arg(e.stateAfter.step).arg(paragraphs(rule.numbers)));
    m_numbers->show();

    // The table: every number in and out, each with its full value on hover.
    auto *table = new QWidget;
    table->setObjectName(QStringLiteral("inspectorTable"));
    auto *grid = new QGridLayout(table);
    grid->setContentsMargins(0, 6, 0, 0);
    grid->setHorizontalSpacing(12);
    grid->setColumnStretch(0, 1);
    int row = 0;
    grid->addWidget(richLabel(tr("<b>Numbers</b>")), row, 0, 1, 2);
    for (int i = 0; i < 2; ++i) {
        auto *header = richLabel(QStringLiteral("<b><i>%1</i></b>").arg(m_parameterNames[i].toHtmlEscaped()));
        header->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(header, row, 2 + i);
    }
    ++row;
    auto number = [&](const QString &key, double value, int column) {
        auto *label = richLabel(readable(value));
        label->setObjectName(key);
        label->setToolTip(fullText(value));
        label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(label, row, column);
        m_values.insert(key, label);
    };
    auto nameCell = [&](const QString &text, const QString &tip = {}) {
        auto *label = richLabel(text);
        label->setWordWrap(true);
        label->setToolTip(tip);
        grid->addWidget(label, row, 0);
    };
    auto whenCell = [&](const QString &text) {
        grid->addWidget(richLabel(QStringLiteral("<i>%1</i>").arg(text)), row, 1); // italic, not grey: a projector washes grey out
    };
    auto vectorRow = [&](const QString &key, const Vec2 &v) {
        number(key + QStringLiteral(".0"), v[0], 2);
        number(key + QStringLiteral(".1"), v[1], 3);
        ++row;
    };
    auto noteRow = [&](const QString &text) {
        auto *label = new QLabel(text);
        label->setWordWrap(true);
        grid->addWidget(label, row, 2, 1, 2);
        return label;
    };

    nameCell(tr("θ"));
    whenCell(tr("before"));
    vectorRow(QStringLiteral("theta.before"), e.thetaBefore);
    nameCell(tr("<i>g</i> gradient used"), tr("The gradient this update uses: the mean over its batch."));
    vectorRow(QStringLiteral("gradient"), e.gradient);
    m_samples = new QLabel(samplesDescription(e));
    m_samples->setObjectName(QStringLiteral("inspectorSamples"));
    m_samples->setWordWrap(true);
    m_samples->setToolTip(tr("Samples are numbered from 0, in the data's order."));
    grid->addWidget(m_samples, row++, 0, 1, 4);
    if (data && e.batch.size() < e.sampleCount) {
        nameCell(tr("∇<i>f</i> full gradient"), tr("The gradient of the whole objective (every sample), which this update does not use."));
        vectorRow(QStringLiteral("fullGradient"), e.fullGradient);
        nameCell(tr("batch loss"), tr("The batch's mean loss at θ before the update."));
        number(QStringLiteral("batchLoss"), e.batchLoss, 2);
        ++row;
    }
    nameCell(tr("lr (after the schedule)"));
    number(QStringLiteral("lr"), e.lr, 2);
    ++row;

    // The rule's state, row by row from the optimizer table: only the quantities these settings keep.
    for (const StateQuantityInfo &q : optimizerInfo(e.optimizer.kind).state) {
        const bool before = q.heldIn(e.optimizer, e.stateBefore), after = q.heldIn(e.optimizer, e.stateAfter);
        if (!before && !after)
            continue;
        const QString name = QString::fromStdString(q.name);
        m_stateNames << name;
        const QString key = QStringLiteral("state.") + name;
        nameCell(symbolHtml(q.symbol) + QStringLiteral(" <tt>%1</tt>").arg(name.toHtmlEscaped()), QString::fromStdString(q.description));
        for (const bool isAfter : {false, true}) {
            whenCell(isAfter ? tr("after") : tr("before"));
            const OptimizerState &state = isAfter ? e.stateAfter : e.stateBefore;
            const QString at = key + (isAfter ? QStringLiteral(".after") : QStringLiteral(".before"));
            if (!(isAfter ? after : before)) {
                noteRow(isAfter ? tr("none") : tr("none yet: made at this update"));
                ++row;
            } else if (q.scalar) {
                number(at, q.scalar(state), 2);
                ++row;
            } else {
                vectorRow(at, q.vector(state));
            }
        }
    }

    nameCell(tr("θ"));
    whenCell(tr("after"));
    vectorRow(QStringLiteral("theta.after"), e.thetaAfter);
    nameCell(data ? tr("loss (all samples)") : tr("loss"));
    whenCell(tr("before"));
    number(QStringLiteral("loss.before"), e.lossBefore, 2);
    ++row;
    whenCell(tr("after"));
    number(QStringLiteral("loss.after"), e.lossAfter, 2);
    ++row;

    delete m_contentLayout->replaceWidget(m_table, table);
    delete m_table;
    m_table = table;
}

QString StepInspector::title() const
{
    return QTextDocumentFragment::fromHtml(m_title->text()).toPlainText();
}

QString StepInspector::formulaText() const
{
    return QTextDocumentFragment::fromHtml(m_formula->text()).toPlainText() + QLatin1Char('\n')
           + QTextDocumentFragment::fromHtml(m_numbers->text()).toPlainText();
}

QString StepInspector::valueText(const QString &key) const
{
    const QLabel *label = m_values.value(key);
    return label ? QTextDocumentFragment::fromHtml(label->text()).toPlainText() : QString();
}

QString StepInspector::fullPrecision(const QString &key) const
{
    const QLabel *label = m_values.value(key);
    return label ? label->toolTip() : QString();
}

QString StepInspector::samplesText() const
{
    return m_samples ? m_samples->text() : QString();
}

} // namespace gdviz
