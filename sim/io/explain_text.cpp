// `rollsim explain`: one trial told in plain words (written below).

#include "io/timeline_words.hpp"
#include "rollsim/timeline.hpp"

namespace rollsim {

std::string explain_text(const Timeline& t) { return timeline_words(t).headline + "\n"; }

}  // namespace rollsim
