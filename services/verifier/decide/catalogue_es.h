// The Spanish message catalogue (/settings language es). Internal to messages.cc, which chooses among
// the catalogues; a file of its own so that each language is one file to read and review.
#pragma once

#include "services/verifier/decide/messages.h"

namespace subguard::verifier::decide {

const Catalogue& SpanishCatalogue();

}  // namespace subguard::verifier::decide
