#pragma once
// One update of a run, with every number that goes into it and comes out of it: what the step inspector shows and
// the arrows on the surface draw. Computed by Run::explainNextUpdate() on a copy of the run, so it is exactly the
// update the run makes next (same batch, same rounding), also at step 0, before anything has happened.

#include "Objective.h"
#include "OptimizerState.h"
#include "Optimizers.h"

#include <string>
#include <vector>

namespace gdviz {

struct UpdateExplanation {
    bool valid = false; // false: no update can follow (a diverged run, whose theta is not finite); see why
    std::string why; // when not valid, in words
    bool runEnded = false; // the run has ended (a stop rule): this is the update it would make if it went on
    long step = 0; // the update's number: the run's step + 1
    OptimizerSettings optimizer; // the settings it uses
    double lr = 0; // the learning rate it uses, the schedule applied
    Vec2 thetaBefore = Vec2::Zero(), thetaAfter = Vec2::Zero();
    double lossBefore = 0, lossAfter = 0; // the full objective
    Vec2 fullGradient = Vec2::Zero(); // the full objective's gradient at thetaBefore
    Vec2 gradient = Vec2::Zero(); // the gradient the update uses: the batch's mean (the full one when no data)
    double batchLoss = 0; // the batch's mean loss at thetaBefore
    std::size_t sampleCount = 0; // n; 0 for an analytic objective
    std::vector<SampleIndex> batch; // the samples the update uses (all n for a full batch; empty with no data)
    OptimizerState stateBefore, stateAfter; // the rule's state (torch's names: optimizerInfo(optimizer.kind).state)
};

} // namespace gdviz
