#pragma once
// The update rules of torch.optim (PyTorch 1.13), with its parameter names and defaults.
//
// As in ensmallen, an optimizer's settings (OptimizerSettings, plain values a scenario file or a panel
// edits) are kept apart from the state one run accumulates (UpdateRule, built fresh for each run).
// Gradients handed to a rule are MEAN gradients over the batch, as in Keras and torch.

#include "BiasCorrection.h"
#include "Objective.h"
#include "OptimizerState.h"

#include <cmath>

#include <string>
#include <vector>

namespace gdviz {

enum class OptimizerKind { Sgd, Adagrad, Rmsprop, Adadelta, Adam, AdamW, Adamax, Nadam };

/// Every hyperparameter of every optimizer; each kind reads only its own (see optimizerInfo()).
/// Defaults here are torch's for SGD; defaultsFor() gives each kind's.
struct OptimizerSettings {
    OptimizerKind kind = OptimizerKind::Sgd;
    double lr = 0.01; // torch requires lr for SGD; 0.01 is Keras's default
    double momentum = 0, dampening = 0;
    bool nesterov = false;
    double weightDecay = 0;
    double lrDecay = 0, initialAccumulatorValue = 0;
    double eps = 1e-8;
    double alpha = 0.99;
    bool centered = false;
    double rho = 0.9;
    double beta1 = 0.9, beta2 = 0.999;
    bool amsgrad = false;
    double momentumDecay = 4e-3;

    /// torch 1.13's defaults for kind.
    static OptimizerSettings defaultsFor(OptimizerKind kind);
    /// Empty when valid, else "<torch name>: <what is wrong>", e.g. "lr: must be > 0, got -0.1".
    std::string validate() const;

    bool operator==(const OptimizerSettings &) const = default;
};

/// One hyperparameter as a scenario file and the panel see it: its torch name, where it lives in
/// OptimizerSettings, and its valid range.
struct HyperParameterInfo {
    enum class Type { Real, Flag, Pair };
    std::string name; // torch's name: "momentum", "betas", ...
    Type type = Type::Real;
    double OptimizerSettings::*real = nullptr; // Real, and the first of a Pair
    double OptimizerSettings::*second = nullptr; // the second of a Pair
    bool OptimizerSettings::*flag = nullptr; // Flag
    double min = 0, max = 0; // valid range
    bool maxExclusive = false; // [min, max) rather than [min, max]
    std::string description; // one sentence: what it does to the descent
};

/// One quantity of a rule's state (OptimizerState) as torch names it, and where it lives.
struct StateQuantityInfo {
    std::string name; // torch's key in optimizer.state[p]: "momentum_buffer", "exp_avg", "mu_product", ...
    std::string symbol; // as the update rule's formula writes it: "b", "m", "v", "μ-product", ...
    std::string description; // one sentence: what it holds
    /// Whether a run with these settings keeps it at all (torch keeps SGD's buffer only with momentum,
    /// RMSprop's grad_avg only when centered, Adam's max_exp_avg_sq only with amsgrad).
    bool (*keptWith)(const OptimizerSettings &settings) = nullptr;
    /// Whether the state holds it now: kept, and already made (SGD's buffer appears at the first update; the
    /// other rules' quantities start at zero, Adagrad's sum at initial_accumulator_value, mu_product at 1).
    bool (*heldIn)(const OptimizerSettings &settings, const OptimizerState &state) = nullptr;
    /// Its value, per parameter (theta0, theta1); null for a scalar.
    Vec2 (*vector)(const OptimizerState &state) = nullptr;
    /// Its value, for a scalar (mu_product); null for a per-parameter quantity.
    double (*scalar)(const OptimizerState &state) = nullptr;
};

struct OptimizerInfo {
    OptimizerKind kind;
    std::string name; // the scenario's "optimizer": "sgd", "adam", ...
    std::string title; // "SGD", "Adam", ...
    std::vector<HyperParameterInfo> parameters; // every one but lr, which all have
    std::vector<StateQuantityInfo> state; // its state, in torch's order (torch's own "step" is the record's step)
};

const std::vector<OptimizerInfo> &optimizers();
const OptimizerInfo &optimizerInfo(OptimizerKind kind);
const OptimizerInfo *findOptimizer(const std::string &name);

/// What SGD's hyperparameters leave of its rule, so that a loop can be compiled for each (Run's analytic loops):
/// Plain: no momentum, no weight decay (theta -= lr g); HeavyBall: momentum without dampening, nesterov or
/// weight decay (b = momentum b + g; (1 - 0) g is g exactly); Any.
enum class SgdForm { Plain, HeavyBall, Any };
inline SgdForm sgdForm(const OptimizerSettings &s)
{
    if (s.weightDecay != 0)
        return SgdForm::Any;
    if (s.momentum == 0)
        return SgdForm::Plain;
    return s.nesterov || s.dampening != 0 ? SgdForm::Any : SgdForm::HeavyBall;
}

template <SgdForm Form>
class SgdUpdates;

/// The per-run state of an optimizer and its update rule. No heap allocation per update.
class UpdateRule {
public:
    /// A rule that has made no update yet: its state is torch's before the first step (Adagrad's sum filled with
    /// initial_accumulator_value, everything else zero, mu_product 1, no SGD momentum buffer).
    explicit UpdateRule(const OptimizerSettings &settings);

    /// One update of theta from the batch gradient grad, with learning rate lr (the schedule's value
    /// for this update; it overrides settings.lr).
    void apply(Vec2 &theta, const Vec2 &grad, double lr);

    /// apply() for SGD (settings().kind == Sgd): one update of SgdUpdates, below.
    void applySgd(Vec2 &theta, const Vec2 &gradient, double lr);

    /// apply() for Adam and AdamW, inline for the analytic loops (Run.cpp), as applySgd.
    [[gnu::always_inline]] void applyAdam(Vec2 &theta, const Vec2 &gradient, double lr)
    {
        // AdamW: theta *= 1 - lr * weight_decay first (decoupled), no L2 term. Adam: g = grad + weight_decay theta.
        // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  (amsgrad: vmax = max(vmax, v), used for v)
        // theta -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
        const OptimizerSettings &s = m_settings;
        ++m_state.step;
        const double t = double(m_state.step);
        Vec2 g = gradient;
        if (s.kind == OptimizerKind::AdamW)
            theta *= 1 - lr * s.weightDecay;
        else if (s.weightDecay != 0)
            g += s.weightDecay * theta;
        AdamState &a = m_state.adam;
        a.expAvg = s.beta1 * a.expAvg + (1 - s.beta1) * g;
        a.expAvgSq = s.beta2 * a.expAvgSq + (1 - s.beta2) * Vec2(g.array() * g.array());
        const double biasCorrection1 = m_biasCorrection1.at(s.beta1, t);
        const double biasCorrection2Sqrt = m_biasCorrection2.sqrtAt(s.beta2, t);
        const double stepSize = lr / biasCorrection1;
        Vec2 second = a.expAvgSq;
        if (s.amsgrad) {
            a.maxExpAvgSq = a.maxExpAvgSq.cwiseMax(a.expAvgSq);
            second = a.maxExpAvgSq;
        }
        const Vec2 denom = (second.array().sqrt() / biasCorrection2Sqrt + s.eps).matrix();
        theta.array() -= stepSize * (a.expAvg.array() / denom.array());
    }

    /// Changes the hyperparameters from the next update on; the accumulated state is kept (before the first
    /// update, Adagrad's sum takes the new initial_accumulator_value, as a new torch optimizer would).
    void setSettings(const OptimizerSettings &settings);
    const OptimizerSettings &settings() const { return m_settings; }
    /// The state after the updates so far, under torch's names (OptimizerState.h).
    const OptimizerState &state() const { return m_state; }

private:
    template <SgdForm Form>
    friend class SgdUpdates;

    OptimizerSettings m_settings;
    OptimizerState m_state;
    BiasCorrection m_biasCorrection1, m_biasCorrection2; // 1 - beta1^t, 1 - beta2^t (Adam, AdamW, Adamax, NAdam)
};

/// SGD's rule (torch.optim.SGD) for a run of updates: the hyperparameters and the momentum buffer are taken
/// from an UpdateRule into plain values, which a loop keeps in registers, and given back by storeInto() after
/// the last update. Form (sgdForm() of the settings) drops the terms the settings make vanish; the updates are
/// the same doubles in every form. UpdateRule::applySgd is one update of SgdForm::Any.
template <SgdForm Form>
class SgdUpdates {
public:
    explicit SgdUpdates(const UpdateRule &rule)
        : m_momentum(rule.m_settings.momentum)
        , m_undamped(1 - rule.m_settings.dampening)
        , m_weightDecay(rule.m_settings.weightDecay)
        , m_nesterov(rule.m_settings.nesterov)
        , m_buffer(rule.m_state.sgd.momentumBuffer)
        , m_hasBuffer(rule.m_state.sgd.hasMomentumBuffer)
    {
    }

    void apply(Vec2 &theta, const Vec2 &gradient, double lr)
    {
        // g = grad + weight_decay * theta (L2 penalty);  b = momentum * b + (1 - dampening) * g (b = g on the
        // first update);  step = g + momentum * b if nesterov else b;  theta -= lr * step
        ++m_updates;
        if constexpr (Form == SgdForm::Plain) {
            theta -= lr * gradient;
        } else {
            Vec2 g = gradient;
            if (Form == SgdForm::Any && m_weightDecay != 0)
                g += m_weightDecay * theta;
            Vec2 step = g;
            if (Form == SgdForm::HeavyBall || m_momentum != 0) {
                if (!m_hasBuffer) {
                    m_buffer = g;
                    m_hasBuffer = true;
                } else if constexpr (Form == SgdForm::HeavyBall) {
                    m_buffer = m_momentum * m_buffer + g;
                } else {
                    m_buffer = m_momentum * m_buffer + m_undamped * g;
                }
                step = (Form == SgdForm::Any && m_nesterov) ? Vec2(g + m_momentum * m_buffer) : m_buffer;
            }
            theta -= lr * step;
        }
    }

    void storeInto(UpdateRule &rule) const
    {
        rule.m_state.step += m_updates;
        rule.m_state.sgd.momentumBuffer = m_buffer;
        rule.m_state.sgd.hasMomentumBuffer = m_hasBuffer;
    }

private:
    double m_momentum, m_undamped, m_weightDecay;
    bool m_nesterov;
    Vec2 m_buffer;
    bool m_hasBuffer;
    long m_updates = 0;
};

inline void UpdateRule::applySgd(Vec2 &theta, const Vec2 &gradient, double lr)
{
    SgdUpdates<SgdForm::Any> sgd(*this);
    sgd.apply(theta, gradient, lr);
    sgd.storeInto(*this);
}

} // namespace gdviz
