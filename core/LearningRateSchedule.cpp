#include "LearningRateSchedule.h"

#include "NumberText.h"

#include <cmath>
#include <numbers>

namespace gdviz {

double LearningRateSchedule::decayedAt(double lr, long t) const
{
    switch (kind) {
    case Kind::Constant:
        return lr;
    case Kind::Step:
        return lr * std::pow(gamma, double(t / stepSize));
    case Kind::Exponential:
        return lr * std::pow(gamma, double(t));
    case Kind::InverseTime:
        return lr / (1 + decay * double(t));
    case Kind::Cosine:
        return etaMin + (lr - etaMin) * (1 + std::cos(std::numbers::pi * double(t) / double(tMax))) / 2;
    }
    return lr;
}

std::string LearningRateSchedule::validate() const
{
    auto bad = [](const char *field, const char *rule, double got) {
        return std::string(field) + ": " + rule + ", got " + shortestNumber(got);
    };
    switch (kind) {
    case Kind::Constant:
        break;
    case Kind::Step:
        if (stepSize < 1)
            return bad("step_size", "must be an integer >= 1", double(stepSize));
        [[fallthrough]];
    case Kind::Exponential:
        if (!std::isfinite(gamma) || !(gamma > 0) || gamma > 1)
            return bad("gamma", "must be in (0, 1]", gamma);
        break;
    case Kind::InverseTime:
        if (!std::isfinite(decay) || decay < 0)
            return bad("decay", "must be >= 0", decay);
        break;
    case Kind::Cosine:
        if (tMax < 1)
            return bad("t_max", "must be an integer >= 1", double(tMax));
        if (!std::isfinite(etaMin) || etaMin < 0)
            return bad("eta_min", "must be >= 0", etaMin);
        break;
    }
    return {};
}

const std::vector<ScheduleKindInfo> &scheduleKinds()
{
    using K = LearningRateSchedule::Kind;
    static const std::vector<ScheduleKindInfo> all = {
        {K::Constant, "constant", "Constant"},
        {K::Step, "step", "Step decay"},
        {K::Exponential, "exponential", "Exponential decay"},
        {K::InverseTime, "inverse_time", "Inverse time decay"},
        {K::Cosine, "cosine", "Cosine annealing"},
    };
    return all;
}

const ScheduleKindInfo *findScheduleKind(const std::string &name)
{
    for (const auto &info : scheduleKinds())
        if (info.name == name)
            return &info;
    return nullptr;
}

const ScheduleKindInfo &scheduleKindInfo(LearningRateSchedule::Kind kind)
{
    return scheduleKinds()[std::size_t(kind)];
}

} // namespace gdviz
