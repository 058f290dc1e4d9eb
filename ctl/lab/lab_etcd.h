// The CLI's access to the lab's etcd (the sentinels' store): `etcdctl` run inside an etcd
// host's namespace, so that the root namespace never talks to the lab. A process per call is
// fine for the CLI; the sentinel itself speaks to etcd's JSON gateway.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "ctl/lab/lab_context.h"

namespace foobar::ctl {

class LabEtcd {
 public:
  explicit LabEtcd(const LabContext& lab);

  // Whether the topology runs etcd at all.
  bool Exists() const { return !endpoints_.empty(); }

  // The value of `key`, nullopt if absent. Throws LabError if no member answers.
  std::optional<std::string> Get(const std::string& key) const;
  void Put(const std::string& key, const std::string& value) const;
  void Delete(const std::string& key) const;

  // Retries Get until the cluster answers or `bound` passes; throws LabError then.
  void WaitUntilAnswering(std::chrono::milliseconds bound) const;

 private:
  // Runs `etcdctl ARGS` from each etcd host in turn until one succeeds.
  std::string Run(const std::vector<std::string>& args) const;

  const LabContext& lab_;
  std::string endpoints_;  // "http://A:2379,http://B:2379,..."
};

}  // namespace foobar::ctl
