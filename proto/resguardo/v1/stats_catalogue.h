// The catalogue of a statistics dimension, read from the API's descriptors:
// the (resguardo.v1.stats_catalogue) option on the StatsDimension values
// (stats_options.proto) is the one table of which catalogue each dimension's
// values come from. The node (services/stats) and the clients (the CLI) both
// read it here; a library of the generated API only, so that clients may
// depend on it.
//
// Thread-safe (descriptors are immutable).
#ifndef RESGUARDO_PROTO_RESGUARDO_V1_STATS_CATALOGUE_H_
#define RESGUARDO_PROTO_RESGUARDO_V1_STATS_CATALOGUE_H_

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace resguardo {
namespace v1 {
class Label;
}  // namespace v1

// The catalogue whose value names are the values of the StatsDimension
// `dimension`, named by its (resguardo.v1.stats_catalogue) option; null for
// a dimension of other values (periods, places, day buckets) or an unknown
// one.
const google::protobuf::EnumDescriptor* StatsDimensionCatalogue(int dimension);

// The buckets of a bucketed StatsDimension (days to the first action, days
// to resolution), in order, from its (resguardo.v1.stats_bucket) options:
// the cell values and the filter values, the index of a bucket its code.
// Empty for any other dimension.
const std::vector<std::string>& StatsDimensionBuckets(int dimension);

// What a client shows for the dimension's "not recorded" cell (its
// catalogue's *_UNSPECIFIED value, or the bucket "none") when the dimension
// says more than "not recorded" ("Pendiente (sin resolución)"): its
// (resguardo.v1.stats_unrecorded_label) option; null when it has none.
const v1::Label* StatsDimensionUnrecordedLabel(int dimension);

}  // namespace resguardo

#endif  // RESGUARDO_PROTO_RESGUARDO_V1_STATS_CATALOGUE_H_
