#include "model/variant_model.hpp"

#include <map>
#include <string>

namespace rollsim::model {

void assign_image_bits(VariantModel& m) {
    std::map<std::string, std::uint32_t> bits;
    const auto assign = [&](Revision& rev) {
        for (ContainerModel& c : rev.containers) {
            const auto [it, added] = bits.try_emplace(c.image, 0);
            // A node caches at most 32 distinct images in the model; more share the last bit.
            if (added) it->second = std::uint32_t{1} << std::min<std::size_t>(bits.size() - 1, 31);
            c.image_bit = it->second;
        }
    };
    assign(m.old_revision);
    assign(m.older_revision);
    assign(m.new_revision);
    assign(m.test_revision);
    if (m.second) assign(m.second->revision);
}

}  // namespace rollsim::model
