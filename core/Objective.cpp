#include "Objective.h"

#include <stdexcept>

namespace gdviz {

double Objective::evaluateBatch(const Vec2 &, std::span<const SampleIndex>, Vec2 *) const
{
    throw std::logic_error("evaluateBatch() called on an objective without data");
}

} // namespace gdviz
