// Inside the plan module: the runbook's text for each step kind, one function
// per kind (instructions.cpp), named by the kind table (step_kinds.cpp).
#pragma once

#include "plan/instructions.h"

namespace smsup::plan::runbook {

Instructions readiness(const Step& s);
Instructions legacy_to_advanced(const Step& s);
Instructions os_sp1(const Step& s);
Instructions dcom_slp(const Step& s);
Instructions dcom_rp(const Step& s);
Instructions dcom_sms_admins(const Step& s);
Instructions firewall(const Step& s);
Instructions scw(const Step& s);
Instructions mp_reinstall(const Step& s);
Instructions kb906570(const Step& s);
Instructions replication_disable(const Step& s);
Instructions backup(const Step& s);
Instructions dbtest(const Step& s);
Instructions disk_check(const Step& s);
Instructions drw(const Step& s);
Instructions upgrade(const Step& s);
Instructions settle(const Step& s);
Instructions verify(const Step& s);
Instructions replication_enable(const Step& s);
Instructions console_upgrade(const Step& s);
Instructions legacy_autoupgrade(const Step& s);
Instructions advanced_push(const Step& s);
Instructions itmu(const Step& s);
// A kind with no procedure of its own: the step's title.
Instructions title_only(const Step& s);

}  // namespace smsup::plan::runbook
