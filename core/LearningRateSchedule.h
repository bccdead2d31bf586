#pragma once
// Learning-rate schedules, applied per update t = 0, 1, 2, ... to a run's base learning rate.

#include <string>
#include <vector>

namespace gdviz {

struct LearningRateSchedule {
    enum class Kind { Constant, Step, Exponential, InverseTime, Cosine };
    Kind kind = Kind::Constant;
    long stepSize = 100; // step: lr * gamma^floor(t / step_size)
    double gamma = 0.5; // step, exponential: lr * gamma^t
    double decay = 0.01; // inverse_time: lr / (1 + decay * t)
    long tMax = 1000; // cosine: eta_min + (lr - eta_min) * (1 + cos(pi * t / t_max)) / 2
    double etaMin = 0;

    /// The learning rate update t uses, for base rate lr. Inline for the constant schedule (most runs): it is
    /// asked once per update.
    double at(double lr, long t) const { return kind == Kind::Constant ? lr : decayedAt(lr, t); }
    /// Empty when valid, else "<field>: <what is wrong>", e.g. "gamma: must be > 0, got 0".
    std::string validate() const;

    bool operator==(const LearningRateSchedule &) const = default;

private:
    double decayedAt(double lr, long t) const;
};

struct ScheduleKindInfo {
    LearningRateSchedule::Kind kind;
    std::string name; // the scenario's "kind": "constant", "step", ...
    std::string title;
};
const std::vector<ScheduleKindInfo> &scheduleKinds();
const ScheduleKindInfo *findScheduleKind(const std::string &name);
const ScheduleKindInfo &scheduleKindInfo(LearningRateSchedule::Kind kind);

} // namespace gdviz
