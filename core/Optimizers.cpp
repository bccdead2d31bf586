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

} // namespace

const std::vector<OptimizerInfo> &optimizers()
{
    static const std::vector<OptimizerInfo> all = {
        {OptimizerKind::Sgd, "sgd", "SGD",
         {real("momentum", &S::momentum, 0, inf, "Keeps a running velocity: each update adds momentum times the previous one, so the path rolls through flat regions and damps zig-zags."),
          real("dampening", &S::dampening, 0, 1, "Scales down the new gradient's share of the velocity by (1 - dampening)."),
          flag("nesterov", &S::nesterov, "Looks ahead along the velocity before taking the gradient step (needs momentum > 0 and dampening 0)."),
          weightDecay()}},
        {OptimizerKind::Adagrad, "adagrad", "Adagrad",
         {real("lr_decay", &S::lrDecay, 0, inf, "Divides the learning rate by (1 + (t - 1) * lr_decay) at update t."),
          weightDecay(),
          real("initial_accumulator_value", &S::initialAccumulatorValue, 0, inf, "Starting value of the sum of squared gradients; larger values make the first steps shorter."),
          eps("Added to the square root of the accumulated squares so the step never divides by zero.")}},
        {OptimizerKind::Rmsprop, "rmsprop", "RMSprop",
         {real("alpha", &S::alpha, 0, 1, "Smoothing of the running average of squared gradients; close to 1 remembers longer."),
          eps("Added to the root mean square so the step never divides by zero."),
          weightDecay(),
          real("momentum", &S::momentum, 0, inf, "Keeps a running velocity of the scaled steps."),
          flag("centered", &S::centered, "Divides by the gradient's estimated variance instead of its raw second moment.")}},
        {OptimizerKind::Adadelta, "adadelta", "Adadelta",
         {real("rho", &S::rho, 0, 1, "Smoothing of the running averages of squared gradients and squared updates."),
          eps("Added inside both square roots; it also sets the size of the very first steps."),
          weightDecay()}},
        {OptimizerKind::Adam, "adam", "Adam",
         {betas("Smoothing of the running mean of the gradient (first) and of its square (second); each in [0, 1)."),
          eps("Added to the root of the second moment so the step never divides by zero."),
          weightDecay(),
          flag("amsgrad", &S::amsgrad, "Divides by the largest second moment seen so far, so steps never grow back.")}},
        {OptimizerKind::AdamW, "adamw", "AdamW",
         {betas("Smoothing of the running mean of the gradient (first) and of its square (second); each in [0, 1)."),
          eps("Added to the root of the second moment so the step never divides by zero."),
          real("weight_decay", &S::weightDecay, 0, inf, "Shrinks theta by lr * weight_decay each update, apart from the gradient step (decoupled decay)."),
          flag("amsgrad", &S::amsgrad, "Divides by the largest second moment seen so far, so steps never grow back.")}},
        {OptimizerKind::Adamax, "adamax", "Adamax",
         {betas("Smoothing of the running mean of the gradient (first) and decay of its running maximum (second); each in [0, 1)."),
          eps("Added to the absolute gradient so the step never divides by zero."),
          weightDecay()}},
        {OptimizerKind::Nadam, "nadam", "NAdam",
         {betas("Smoothing of the running mean of the gradient (first) and of its square (second); each in [0, 1)."),
          eps("Added to the root of the second moment so the step never divides by zero."),
          weightDecay(),
          real("momentum_decay", &S::momentumDecay, 0, inf, "How fast the Nesterov momentum schedule warms up.")}},
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

void UpdateRule::apply(Vec2 &theta, const Vec2 &gradient, double lr)
{
    const OptimizerSettings &s = m_settings;
    if (s.kind == OptimizerKind::Sgd)
        return applySgd(theta, gradient, lr);
    if (s.kind == OptimizerKind::Adam || s.kind == OptimizerKind::AdamW)
        return applyAdam(theta, gradient, lr);
    ++m_step;
    const double t = double(m_step);
    Vec2 g = gradient;
    if (s.weightDecay != 0 && s.kind != OptimizerKind::AdamW)
        g += s.weightDecay * theta; // L2 penalty: g = g + weight_decay * theta

    switch (s.kind) {
    case OptimizerKind::Sgd:
        break; // applySgd (Optimizers.h)
    case OptimizerKind::Adagrad: {
        // clr = lr / (1 + (t - 1) * lr_decay);  sum += g^2;  theta -= clr * g / (sqrt(sum) + eps)
        if (m_step == 1)
            m_first.setConstant(s.initialAccumulatorValue);
        const double clr = lr / (1 + (t - 1) * s.lrDecay);
        m_first.array() += g.array() * g.array();
        const Vec2 stdev = (m_first.array().sqrt() + s.eps).matrix();
        theta.array() -= clr * (g.array() / stdev.array());
        break;
    }
    case OptimizerKind::Rmsprop: {
        // v = alpha v + (1 - alpha) g^2;  centered: m = alpha m + (1 - alpha) g, avg = sqrt(v - m^2) + eps,
        // else avg = sqrt(v) + eps;  momentum: b = momentum b + g / avg, theta -= lr b;  else theta -= lr g / avg
        m_second = s.alpha * m_second + (1 - s.alpha) * Vec2(g.array() * g.array());
        Vec2 avg;
        if (s.centered) {
            m_third = s.alpha * m_third + (1 - s.alpha) * g;
            avg = ((m_second.array() - m_third.array() * m_third.array()).sqrt() + s.eps).matrix();
        } else {
            avg = (m_second.array().sqrt() + s.eps).matrix();
        }
        if (s.momentum > 0) {
            m_first = s.momentum * m_first + Vec2(g.array() / avg.array());
            theta -= lr * m_first;
        } else {
            theta.array() -= lr * (g.array() / avg.array());
        }
        break;
    }
    case OptimizerKind::Adadelta: {
        // v = rho v + (1 - rho) g^2;  delta = sqrt(u + eps) / sqrt(v + eps) * g;
        // u = rho u + (1 - rho) delta^2;  theta -= lr * delta
        m_first = s.rho * m_first + (1 - s.rho) * Vec2(g.array() * g.array());
        const Vec2 stdev = (m_first.array() + s.eps).sqrt().matrix();
        const Vec2 delta = ((m_second.array() + s.eps).sqrt() / stdev.array() * g.array()).matrix();
        m_second = s.rho * m_second + (1 - s.rho) * Vec2(delta.array() * delta.array());
        theta -= lr * delta;
        break;
    }
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
        break; // applyAdam (Optimizers.h)
    case OptimizerKind::Adamax: {
        // m = b1 m + (1 - b1) g;  u = max(b2 u, |g| + eps);  theta -= lr / (1 - b1^t) * m / u
        m_first = s.beta1 * m_first + (1 - s.beta1) * g;
        m_second = (s.beta2 * m_second).cwiseMax(Vec2((g.array().abs() + s.eps).matrix()));
        const double clr = lr / m_biasCorrection1.at(s.beta1, t);
        theta.array() -= clr * (m_first.array() / m_second.array());
        break;
    }
    case OptimizerKind::Nadam: {
        // mu_t = b1 (1 - 0.5 * 0.96^(t psi)),  mu_{t+1} likewise,  prod *= mu_t;
        // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  denom = sqrt(v / (1 - b2^t)) + eps;
        // theta -= lr (1 - mu_t) / (1 - prod) * g / denom + lr mu_{t+1} / (1 - prod mu_{t+1}) * m / denom
        const double biasCorrection2 = m_biasCorrection2.at(s.beta2, t);
        const double mu = s.beta1 * (1.0 - 0.5 * std::pow(0.96, t * s.momentumDecay));
        const double muNext = s.beta1 * (1.0 - 0.5 * std::pow(0.96, (t + 1) * s.momentumDecay));
        m_muProduct *= mu;
        const double muProductNext = m_muProduct * muNext;
        m_first = s.beta1 * m_first + (1 - s.beta1) * g;
        m_second = s.beta2 * m_second + (1 - s.beta2) * Vec2(g.array() * g.array());
        const Vec2 denom = ((m_second.array() / biasCorrection2).sqrt() + s.eps).matrix();
        theta.array() += (-lr * (1.0 - mu) / (1.0 - m_muProduct)) * (g.array() / denom.array());
        theta.array() += ((-lr * muNext) / (1.0 - muProductNext)) * (m_first.array() / denom.array());
        break;
    }
    }
}

} // namespace gdviz
