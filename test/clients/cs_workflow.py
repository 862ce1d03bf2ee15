"""The served API driven by CloudStack's Python client (`cs`, Debian's package), unchanged.

Builds a zone the way an operator does (physical network, traffic types, the virtual router
provider, a public range, a pod, a cluster, hosts, primary and secondary storage), creates an
account and its keys, and as that account deploys VMs on an isolated network, acquires a public
IP, adds port forwarding and a firewall rule, lists everything, stops and destroys. Prints one
JSON object with what it saw; the test that runs it checks the values.

Usage: /usr/bin/python3 cs_workflow.py ENDPOINT APIKEY SECRETKEY
"""
import json
import sys

from cs import CloudStack, CloudStackApiException

endpoint, key, secret = sys.argv[1:4]
admin = CloudStack(endpoint=endpoint, key=key, secret=secret, timeout=30, poll_interval=0.1, job_timeout=60)
seen = {}

# ----- the zone, as an operator builds it -----
zone = admin.createZone(name="cs-zone", networktype="Advanced", dns1="8.8.8.8", internaldns1="192.168.100.1", guestcidraddress="10.20.0.0/16", localstorageenabled="false")["zone"]
physical = admin.createPhysicalNetwork(name="cs-physical", zoneid=zone["id"], isolationmethods="VLAN", vlan="600-699", fetch_result=True)["physicalnetwork"]
for traffic in ("Management", "Guest", "Public"):
    admin.addTrafficType(physicalnetworkid=physical["id"], traffictype=traffic, kvmnetworklabel="cloudbr0", fetch_result=True)
admin.updatePhysicalNetwork(id=physical["id"], state="Enabled", fetch_result=True)
provider = admin.listNetworkServiceProviders(physicalnetworkid=physical["id"], name="VirtualRouter")["networkserviceprovider"][0]
element = admin.listVirtualRouterElements(nspid=provider["id"])["virtualrouterelement"][0]
admin.configureVirtualRouterElement(id=element["id"], enabled="true", fetch_result=True)
admin.updateNetworkServiceProvider(id=provider["id"], state="Enabled", fetch_result=True)
vlan = admin.createVlanIpRange(zoneid=zone["id"], vlan="untagged", gateway="198.51.100.1", netmask="255.255.255.0", startip="198.51.100.10", endip="198.51.100.99", forvirtualnetwork="true")["vlan"]
pod = admin.createPod(name="cs-pod", zoneid=zone["id"], gateway="192.168.100.1", netmask="255.255.255.0", startip="192.168.100.10", endip="192.168.100.49")["pod"]
cluster = admin.addCluster(clustername="cs-cluster", clustertype="CloudManaged", hypervisor="KVM", podid=pod["id"], zoneid=zone["id"])["cluster"][0]
hosts = [
    admin.addHost(hypervisor="KVM", zoneid=zone["id"], podid=pod["id"], clusterid=cluster["id"], url="http://192.168.100.%d" % (101 + i), username="root", password="password")["host"][0]
    for i in range(2)
]
pool = admin.createStoragePool(name="cs-primary", zoneid=zone["id"], podid=pod["id"], clusterid=cluster["id"], scope="cluster", url="nfs://192.168.100.5/export/primary")["storagepool"]
store = admin.addImageStore(provider="NFS", name="cs-secondary", zoneid=zone["id"], url="nfs://192.168.100.5/export/secondary")["imagestore"]
admin.updateZone(id=zone["id"], allocationstate="Enabled")
seen["zone"] = {"name": zone["name"], "pods": [p["name"] for p in admin.listPods(zoneid=zone["id"], fetch_list=True)], "clusters": [c["name"] for c in admin.listClusters(zoneid=zone["id"], fetch_list=True)],
                "hosts": sorted(h["name"] for h in admin.listHosts(zoneid=zone["id"], type="Routing", fetch_list=True)), "pools": [p["name"] for p in admin.listStoragePools(zoneid=zone["id"], fetch_list=True)],
                "stores": [s["name"] for s in admin.listImageStores(zoneid=zone["id"], fetch_list=True)], "vlan": [vlan["startip"], vlan["endip"]]}

# ----- what tenants deploy from -----
offering = admin.createServiceOffering(name="cs-small", displaytext="1 vCPU, 512 MiB", cpunumber=1, cpuspeed=500, memory=512)["serviceoffering"]
os_type = admin.listOsTypes(description="Ubuntu 22.04 LTS")["ostype"][0]
template = admin.registerTemplate(name="cs-ubuntu", displaytext="Ubuntu for cs", format="QCOW2", hypervisor="KVM", url="http://images.example/ubuntu.qcow2", zoneid=zone["id"], ostypeid=os_type["id"], ispublic="true", isfeatured="true")["template"][0]

# ----- an account, its keys, and its own client -----
account = admin.createAccount(username="alice", password="alice-password", email="alice@example.com", firstname="Alice", lastname="Tenant", account="alice-co", accounttype=0)["account"]
user = account["user"][0]
keys = admin.registerUserKeys(id=user["id"])["userkeys"]
alice = CloudStack(endpoint=endpoint, key=keys["apikey"], secret=keys["secretkey"], timeout=30, poll_interval=0.1, job_timeout=60)
seen["account"] = {"name": account["name"], "user": user["username"], "byApiKey": admin.getUser(userapikey=keys["apikey"])["user"]["username"]}

# ----- an isolated network, VMs, a public IP, rules -----
network_offering = alice.listNetworkOfferings(name="DefaultIsolatedNetworkOfferingWithSourceNatService", zoneid=zone["id"])["networkoffering"][0]
network = alice.createNetwork(name="alice-net", displaytext="alice's network", networkofferingid=network_offering["id"], zoneid=zone["id"])["network"]
vms = [
    alice.deployVirtualMachine(serviceofferingid=offering["id"], templateid=template["id"], zoneid=zone["id"], networkids=network["id"], name="web-%d" % i, fetch_result=True)["virtualmachine"]
    for i in range(2)
]
ip = alice.associateIpAddress(networkid=network["id"], fetch_result=True)["ipaddress"]
forward = alice.createPortForwardingRule(ipaddressid=ip["id"], privateport=22, publicport=2222, protocol="TCP", virtualmachineid=vms[0]["id"], fetch_result=True)["portforwardingrule"]
firewall = alice.createFirewallRule(ipaddressid=ip["id"], protocol="TCP", startport=2222, endport=2222, cidrlist="0.0.0.0/0", fetch_result=True)["firewallrule"]

# ----- list everything -----
seen["vms"] = sorted("%s %s %s" % (v["name"], v["state"], v["nic"][0]["networkname"]) for v in alice.listVirtualMachines(fetch_list=True))
seen["networks"] = sorted("%s %s %s" % (n["name"], n["type"], n["state"]) for n in alice.listNetworks(fetch_list=True))
seen["ips"] = sorted("%s %s" % (i["ipaddress"], "sourcenat" if i["issourcenat"] else "acquired") for i in alice.listPublicIpAddresses(fetch_list=True))
seen["forwards"] = ["%s %s->%s %s" % (r["protocol"], r["publicport"], r["privateport"], r["virtualmachinename"]) for r in alice.listPortForwardingRules(fetch_list=True)]
seen["firewall"] = ["%s %s-%s %s" % (r["protocol"], r["startport"], r["endport"], r["cidrlist"]) for r in alice.listFirewallRules(fetch_list=True)]
seen["volumes"] = sorted("%s %s" % (v["type"], v["vmname"]) for v in alice.listVolumes(fetch_list=True))
seen["acquiredIp"] = ip["ipaddress"]

# ----- another account sees none of it -----
admin.createAccount(username="bob", password="bob-password", email="bob@example.com", firstname="Bob", lastname="Other", account="bob-co", accounttype=0)
bob_user = admin.listUsers(username="bob", listall="true")["user"][0]
bob_keys = admin.registerUserKeys(id=bob_user["id"])["userkeys"]
bob = CloudStack(endpoint=endpoint, key=bob_keys["apikey"], secret=bob_keys["secretkey"], timeout=30, poll_interval=0.1, job_timeout=60)
seen["bobSees"] = len(bob.listVirtualMachines(fetch_list=True))
try:
    bob.stopVirtualMachine(id=vms[0]["id"], fetch_result=True)
    seen["bobStop"] = "allowed"
except CloudStackApiException as error:
    seen["bobStop"] = error.error.get("errorcode") if isinstance(error.error, dict) else str(error.error)

# ----- stop and destroy -----
stopped = alice.stopVirtualMachine(id=vms[0]["id"], fetch_result=True)["virtualmachine"]
destroyed = alice.destroyVirtualMachine(id=vms[1]["id"], fetch_result=True)["virtualmachine"]
seen["stopped"] = stopped["state"]
seen["destroyed"] = destroyed["state"]
seen["after"] = sorted("%s %s" % (v["name"], v["state"]) for v in alice.listVirtualMachines(fetch_list=True))

print(json.dumps(seen, sort_keys=True))
