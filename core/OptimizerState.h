#pragma once
// What one run's optimizer keeps between updates, rule by rule, under torch.optim's names: the quantities of
// torch's optimizer.state[p] for the parameter vector theta (PyTorch 1.13). Each rule has its own named state
// (ensmallen's per-rule Policy keeps m, v and the iteration the same way); the optimizer table
// (optimizerInfo().state) lists each rule's quantities under torch's names, which the step inspector, the
// trajectory CSV's --optimizer-state columns and the tests follow.

#include "Objective.h"

namespace gdviz {

/// torch.optim.SGD: momentum_buffer, created at the first update as a copy of the gradient (only with momentum).
struct SgdState {
    Vec2 momentumBuffer = Vec2::Zero();
    bool hasMomentumBuffer = false;
};

/// torch.optim.Adagrad: sum of squared gradients, filled with initial_accumulator_value when the run starts.
struct AdagradState {
    Vec2 sum = Vec2::Zero();
};

/// torch.optim.RMSprop: square_avg; momentum_buffer (momentum > 0); grad_avg (centered).
struct RmspropState {
    Vec2 squareAvg = Vec2::Zero();
    Vec2 momentumBuffer = Vec2::Zero();
    Vec2 gradAvg = Vec2::Zero();
};

/// torch.optim.Adadelta: square_avg of the gradients, acc_delta of the updates.
struct AdadeltaState {
    Vec2 squareAvg = Vec2::Zero();
    Vec2 accDelta = Vec2::Zero();
};

/// torch.optim.Adam and AdamW: exp_avg (m), exp_avg_sq (v); max_exp_avg_sq (amsgrad).
struct AdamState {
    Vec2 expAvg = Vec2::Zero();
    Vec2 expAvgSq = Vec2::Zero();
    Vec2 maxExpAvgSq = Vec2::Zero();
};

/// torch.optim.Adamax: exp_avg (m), exp_inf (u, the infinity norm's running maximum).
struct AdamaxState {
    Vec2 expAvg = Vec2::Zero();
    Vec2 expInf = Vec2::Zero();
};

/// torch.optim.NAdam: exp_avg, exp_avg_sq, and mu_product, the product of the momentum schedule mu_1 ... mu_t.
struct NadamState {
    Vec2 expAvg = Vec2::Zero();
    Vec2 expAvgSq = Vec2::Zero();
    double muProduct = 1.0;
};

/// One run's optimizer state: the updates applied (torch's "step") and the state of its rule; the other rules'
/// members stay as constructed. A plain value: copied to show an update's state before and after it.
struct OptimizerState {
    long step = 0;
    SgdState sgd;
    AdagradState adagrad;
    RmspropState rmsprop;
    AdadeltaState adadelta;
    AdamState adam;
    AdamaxState adamax;
    NadamState nadam;
};

} // namespace gdviz
