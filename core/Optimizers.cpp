#include "Optimizers.h"

#include "NumberText.h"

#include <cmath>
#include <limits>

namespace gdviz {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
using S = OptimizerSettings;
using T = HyperParameterInfo::Type;

HyperParameterInfo real(std::string name, double S::*member, double min, double max, std::string description)
{
    return {std::move(name), T::Real, member, nullptr, nullptr, min, max, false, std::move(description)};
}

HyperParameterInfo flag(std::string name, bool S::*member, std::string description)
{
    return {std::move(name), T::Flag, nullptr, nullptr, member, 0, 1, false, std::move(description)};
}

HyperParameterInfo betas(std::string description)
{
    return {"betas", T::Pair, &S::beta1, &S::beta2, nullptr, 0, 1, true, std::move(description)};
}

HyperParameterInfo weightDecay()
{
    return real("weight_decay", &S::weightDecay, 0, inf, "Adds weight_decay * theta to the gradient (L2 penalty), pulling theta towards 0.");
}

HyperParameterInfo eps(const char *what)
{
    return real("eps", &S::eps, 0, inf, what);
}

using State = OptimizerState;
using Kept = bool (*)(const S &);
using Vector = Vec2 (*)(const State &);

bool always(const S &)
{
    return true;
}

/// A per-parameter quantity of a rule's state, held whenever the settings keep it.
StateQuantityInfo vectorState(std::string name, std::string symbol, Kept kept, Vector value, std::string description)
{
    StateQuantityInfo q;
    q.name = std::move(name);
    q.symbol = std::move(symbol);
    q.description = std::move(description);
    q.keptWith = kept;
    q.heldIn = nullptr; // set below: captureless lambdas cannot see kept
    q.vector = value;
    return q;
}

/// The table's quantities with heldIn filled in where the state holds them exactly when the settings keep them.
std::vector<StateQuantityInfo> held(std::vector<StateQuantityInfo> quantities)
{
    for (StateQuantityInfo &q : quantities)
        if (!q.heldIn) {
            // keptWith is one of a few functions: the state holds the quantity exactly when it is kept.
            if (q.keptWith == &always)
                q.heldIn = [](const S &, const State &) { return true; };
            else if (q.name == "momentum_buffer")
                q.heldIn = [](const S &s, const State &) { return s.momentum > 0; };
            else if (q.name == "grad_avg")
                q.heldIn = [](const S &s, const State &) { return s.centered; };
            else if (q.name == "max_exp_avg_sq")
                q.heldIn = [](const S &s, const State &) { return s.amsgrad; };
        }
    return quantities;
}

std::vector<StateQuantityInfo> sgdState()
{
    StateQuantityInfo buffer = vectorState("momentum_buffer", "b", [](const S &s) { return s.momentum != 0; },
                                           [](const State &st) { return st.sgd.momentumBuffer; },
                                           "The velocity: momentum times its last value plus (1 - dampening) times the gradient; "
                                           "made at the first update as a copy of the gradient, and only with momentum.");
    buffer.heldIn = [](const S &s, const State &st) { return s.momentum != 0 && st.sgd.hasMomentumBuffer; };
    return {buffer};
}

std::vector<StateQuantityInfo> adamState()
{
    return held({vectorState("exp_avg", "m", always, [](const State &st) { return st.adam.expAvg; },
                             "The running mean of the gradient (first moment), smoothed by beta1."),
                 vectorState("exp_avg_sq", "v", always, [](const State &st) { return st.adam.expAvgSq; },
                             "The running mean of the squared gradient (second moment), smoothed by beta2."),
                 vectorState("max_exp_avg_sq", "v_max", [](const S &s) { return s.amsgrad; },
                             [](const State &st) { return st.adam.maxExpAvgSq; },
                             "The largest second moment so far (amsgrad), which the step divides by.")});
}

} // namespace

const std::vector<OptimizerInfo> &optimizers()
{
    static const std::vector<OptimizerInfo> all = {
        {OptimizerKind::Sgd, "sgd", "SGD",
         {real("momentum", &S::momentum, 0, inf, "Keeps a running velocity: each update adds momentum times the previous one, so the path rolls through flat regions and damps zig-zags."),
          real("dampening", &S::dampening, 0, 1, "Scales down the new gradient's share of the velocity by (1 - dampening)."),
          flag("nesterov", &S::nesterov, "Looks ahead along the velocity before taking the gradient step (needs momentum > 0 and dampening 0)."),
          weightDecay()},
         sgdState()},
        {OptimizerKind::Adagrad, "adagrad", "Adagrad",
         {real("lr_decay", &S::lrDecay, 0, inf, "Divides the learning rate by (1 + (t - 1) * lr_decay) at update t."),
          weightDecay(),
          real("initial_accumulator_value", &S::initialAccumulatorValue, 0, inf, "Starting value of the sum of squared gradients; larger values make the first steps shorter."),
          eps("Added to the square root of the accumulated squares so the step never divides by zero.")},
         held({vectorState("sum", "s", always, [](const State &st) { return st.adagrad.sum; },
                           "The sum of every squared gradient so far (from initial_accumulator_value): each coordinate's "
                           "step is divided by its square root.")})},
        {OptimizerKind::Rmsprop, "rmsprop", "RMSprop",
         {real("alpha", &S::alpha, 0, 1, "Smoothing of the running average of squared gradients; close to 1 remembers longer."),
          eps("Added to the root mean square so the step never divides by zero."),
          weightDecay(),
          real("momentum", &S::momentum, 0, inf, "Keeps a running velocity of the scaled steps."),
          flag("centered", &S::centered, "Divides by the gradient's estimated variance instead of its raw second moment.")},
         held({vectorState("square_avg", "v", always, [](const State &st) { return st.rmsprop.squareAvg; },
                           "The running mean of the squared gradient, smoothed by alpha."),
               vectorState("momentum_buffer", "b", [](const S &s) { return s.momentum > 0; },
                           [](const State &st) { return st.rmsprop.momentumBuffer; },
                           "The velocity of the scaled steps (momentum > 0)."),
               vectorState("grad_avg", "g_avg", [](const S &s) { return s.centered; },
                           [](const State &st) { return st.rmsprop.gradAvg; },
                           "The running mean of the gradient (centered), whose square is taken off square_avg.")})},
        {OptimizerKind::Adadelta, "adadelta", "Adadelta",
         {real("rho", &S::rho, 0, 1, "Smoothing of the running averages of squared gradients and squared updates."),
          eps("Added inside both square roots; it also sets the size of the very first steps."),
          weightDecay()},
         held({vectorState("square_avg", "v", always, [](const State &st) { return st.adadelta.squareAvg; },
                           "The running mean of the squared gradient, smoothed by rho."),
               vectorState("acc_delta", "u", always, [](const State &st) { return st.adadelta.accDelta; },
                           "The running mean of the squared updates, smoothed by rho: the step's own unit.")})},
        {OptimizerKind::Adam, "adam", "Adam",
         {betas("Smoothing of the running mean of the gradient (first) and of its square (second); each in [0, 1)."),
          eps("Added to the root of the second moment so the step never divides by zero."),
          weightDecay(),
          flag("amsgrad", &S::amsgrad, "Divides by the largest second moment seen so far, so steps never grow back.")},
         adamState()},
        {OptimizerKind::AdamW, "adamw", "AdamW",
         {betas("Smoothing of the running mean of the gradient (first) and of its square (second); each in [0, 1)."),
          eps("Added to the root of the second moment so the step never divides by zero."),
          real("weight_decay", &S::weightDecay, 0, inf, "Shrinks theta by lr * weight_decay each update, apart from the gradient step (decoupled decay)."),
          flag("amsgrad", &S::amsgrad, "Divides by the largest second moment seen so far, so steps never grow back.")},
         adamState()},
        {OptimizerKind::Adamax, "adamax", "Adamax",
         {betas("Smoothing of the running mean of the gradient (first) and decay of its running maximum (second); each in [0, 1)."),
          eps("Added to the absolute gradient so the step never divides by zero."),
          weightDecay()},
         held({vectorState("exp_avg", "m", always, [](const State &st) { return st.adamax.expAvg; },
                           "The running mean of the gradient (first moment), smoothed by beta1."),
               vectorState("exp_inf", "u", always, [](const State &st) { return st.adamax.expInf; },
                           "The running maximum of |gradient| + eps, decayed by beta2 (the infinity norm).")})},
        {OptimizerKind::Nadam, "nadam", "NAdam",
         {betas("Smoothing of the running mean of the gradient (first) and of its square (second); each in [0, 1)."),
          eps("Added to the root of the second moment so the step never divides by zero."),
          weightDecay(),
          real("momentum_decay", &S::momentumDecay, 0, inf, "How fast the Nesterov momentum schedule warms up.")},
         [] {
             StateQuantityInfo mu;
             mu.name = "mu_product";
             mu.symbol = "μ_prod";
             mu.description = "The product of the momentum schedule μ_1 ⋯ μ_t so far (1 before the first update).";
             mu.keptWith = always;
             mu.heldIn = [](const S &, const State &) { return true; };
             mu.scalar = [](const State &st) { return st.nadam.muProduct; };
             return held({mu,
                          vectorState("exp_avg", "m", always, [](const State &st) { return st.nadam.expAvg; },
                                      "The running mean of the gradient (first moment), smoothed by beta1."),
                          vectorState("exp_avg_sq", "v", always, [](const State &st) { return st.nadam.expAvgSq; },
                                      "The running mean of the squared gradient (second moment), smoothed by beta2.")});
         }()},
    };
    return all;
}

const OptimizerInfo &optimizerInfo(OptimizerKind kind)
{
    return optimizers()[std::size_t(kind)];
}

const OptimizerInfo *findOptimizer(const std::string &name)
{
    for (const auto &info : optimizers())
        if (info.name == name)
            return &info;
    return nullptr;
}

OptimizerSettings OptimizerSettings::defaultsFor(OptimizerKind kind)
{
    OptimizerSettings s;
    s.kind = kind;
    switch (kind) {
    case OptimizerKind::Sgd:
        break;
    case OptimizerKind::Adagrad:
        s.lr = 1e-2;
        s.eps = 1e-10;
        break;
    case OptimizerKind::Rmsprop:
        s.lr = 1e-2;
        break;
    case OptimizerKind::Adadelta:
        s.lr = 1.0;
        s.eps = 1e-6;
        break;
    case OptimizerKind::Adam:
        s.lr = 1e-3;
        break;
    case OptimizerKind::AdamW:
        s.lr = 1e-3;
        s.weightDecay = 1e-2;
        break;
    case OptimizerKind::Adamax:
    case OptimizerKind::Nadam:
        s.lr = 2e-3;
        break;
    }
    return s;
}

std::string OptimizerSettings::validate() const
{
    if (!std::isfinite(lr) || !(lr > 0))
        return "lr: must be > 0, got " + shortestNumber(lr);
    for (const auto &p : optimizerInfo(kind).parameters) {
        auto check = [&](double v, const std::string &name) -> std::string {
            const bool aboveMax = p.maxExclusive ? v >= p.max : v > p.max;
            if (std::isnan(v) || v < p.min || aboveMax || std::isinf(v))
                return name + ": must be in [" + shortestNumber(p.min) + ", " + (std::isinf(p.max) ? "inf" : shortestNumber(p.max))
                       + (p.maxExclusive ? ")" : "]") + ", got " + shortestNumber(v);
            return {};
        };
        std::string error;
        if (p.type == T::Real)
            error = check(this->*p.real, p.name);
        else if (p.type == T::Pair) {
            error = check(this->*p.real, p.name + "[0]");
            if (error.empty())
                error = check(this->*p.second, p.name + "[1]");
        }
        if (!error.empty())
            return error;
    }
    if (kind == OptimizerKind::Sgd && nesterov && (momentum <= 0 || dampening != 0))
        return "nesterov: needs momentum > 0 and dampening 0";
    return {};
}

UpdateRule::UpdateRule(const OptimizerSettings &settings)
    : m_settings(settings)
{
    m_state.adagrad.sum.setConstant(settings.initialAccumulatorValue);
}

void UpdateRule::setSettings(const OptimizerSettings &settings)
{
    m_settings = settings;
    if (m_state.step == 0)
        m_state.adagrad.sum.setConstant(settings.initialAccumulatorValue);
}

void UpdateRule::apply(Vec2 &theta, const Vec2 &gradient, double lr)
{
    const OptimizerSettings &s = m_settings;
    if (s.kind == OptimizerKind::Sgd)
        return applySgd(theta, gradient, lr);
    if (s.kind == OptimizerKind::Adam || s.kind == OptimizerKind::AdamW)
        return applyAdam(theta, gradient, lr);
    ++m_state.step;
    const double t = double(m_state.step);
    Vec2 g = gradient;
    if (s.weightDecay != 0 && s.kind != OptimizerKind::AdamW)
        g += s.weightDecay * theta; // L2 penalty: g = g + weight_decay * theta

    switch (s.kind) {
    case OptimizerKind::Sgd:
        break; // applySgd (Optimizers.h)
    case OptimizerKind::Adagrad: {
        // clr = lr / (1 + (t - 1) * lr_decay);  sum += g^2;  theta -= clr * g / (sqrt(sum) + eps)
        Vec2 &sum = m_state.adagrad.sum; // initial_accumulator_value before the first update (the constructor)
        const double clr = lr / (1 + (t - 1) * s.lrDecay);
        sum.array() += g.array() * g.array();
        const Vec2 stdev = (sum.array().sqrt() + s.eps).matrix();
        theta.array() -= clr * (g.array() / stdev.array());
        break;
    }
    case OptimizerKind::Rmsprop: {
        // v = alpha v + (1 - alpha) g^2;  centered: m = alpha m + (1 - alpha) g, avg = sqrt(v - m^2) + eps,
        // else avg = sqrt(v) + eps;  momentum: b = momentum b + g / avg, theta -= lr b;  else theta -= lr g / avg
        RmspropState &r = m_state.rmsprop;
        r.squareAvg = s.alpha * r.squareAvg + (1 - s.alpha) * Vec2(g.array() * g.array());
        Vec2 avg;
        if (s.centered) {
            r.gradAvg = s.alpha * r.gradAvg + (1 - s.alpha) * g;
            avg = ((r.squareAvg.array() - r.gradAvg.array() * r.gradAvg.array()).sqrt() + s.eps).matrix();
        } else {
            avg = (r.squareAvg.array().sqrt() + s.eps).matrix();
        }
        if (s.momentum > 0) {
            r.momentumBuffer = s.momentum * r.momentumBuffer + Vec2(g.array() / avg.array());
            theta -= lr * r.momentumBuffer;
        } else {
            theta.array() -= lr * (g.array() / avg.array());
        }
        break;
    }
    case OptimizerKind::Adadelta: {
        // v = rho v + (1 - rho) g^2;  delta = sqrt(u + eps) / sqrt(v + eps) * g;
        // u = rho u + (1 - rho) delta^2;  theta -= lr * delta
        AdadeltaState &d = m_state.adadelta;
        d.squareAvg = s.rho * d.squareAvg + (1 - s.rho) * Vec2(g.array() * g.array());
        const Vec2 stdev = (d.squareAvg.array() + s.eps).sqrt().matrix();
        const Vec2 delta = ((d.accDelta.array() + s.eps).sqrt() / stdev.array() * g.array()).matrix();
        d.accDelta = s.rho * d.accDelta + (1 - s.rho) * Vec2(delta.array() * delta.array());
        theta -= lr * delta;
        break;
    }
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
        break; // applyAdam (Optimizers.h)
    case OptimizerKind::Adamax: {
        // m = b1 m + (1 - b1) g;  u = max(b2 u, |g| + eps);  theta -= lr / (1 - b1^t) * m / u
        AdamaxState &a = m_state.adamax;
        a.expAvg = s.beta1 * a.expAvg + (1 - s.beta1) * g;
        a.expInf = (s.beta2 * a.expInf).cwiseMax(Vec2((g.array().abs() + s.eps).matrix()));
        const double clr = lr / m_biasCorrection1.at(s.beta1, t);
        theta.array() -= clr * (a.expAvg.array() / a.expInf.array());
        break;
    }
    case OptimizerKind::Nadam: {
        // mu_t = b1 (1 - 0.5 * 0.96^(t psi)),  mu_{t+1} likewise,  prod *= mu_t;
        // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  denom = sqrt(v / (1 - b2^t)) + eps;
        // theta -= lr (1 - mu_t) / (1 - prod) * g / denom + lr mu_{t+1} / (1 - prod mu_{t+1}) * m / denom
        const double biasCorrection2 = m_biasCorrection2.at(s.beta2, t);
        const double mu = s.beta1 * (1.0 - 0.5 * std::pow(0.96, t * s.momentumDecay));
        const double muNext = s.beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1) * s.momentumDecay));
        NadamState &n = m_state.nadam;
        n.muProduct *= mu;
        const double muProductNext = n.muProduct * muNext;
        n.expAvg = s.beta1 * n.expAvg + (1 - s.beta1) * g;
        n.expAvgSq = s.beta2 * n.expAvgSq + (1 - s.beta2) * Vec2(g.array() * g.array());
        const Vec2 denom = ((n.expAvgSq.array() / biasCorrection2).sqrt() + s.eps).matrix();
        theta.array() += (-lr * (1.0 - mu) / (1.0 - n.muProduct)) * (g.array() / denom.array());
        theta.array() += ((-lr * muNext) / (1.0 - muProductNext)) * (n.expAvg.array() / denom.array());
        break;
    }
    }
}

} // namespace gdviz
