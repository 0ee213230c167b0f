/* soapclient: just enough raw SOAP over libcurl for the harness's own smoke
 * tests (the real client is vi/; these tests must not depend on it). */
#pragma once

#include "simharness.h"

/* Posts a SOAP envelope wrapping @body_xml (the method element) to sim->url
 * with @cookie ("vmware_soap_session=..." or NULL). Verifies TLS with the
 * sim's CA. Returns the response body (g_free) and its HTTP status in
 * @status, or NULL with @error set on a transport failure. If @cookie_out is
 * not NULL it receives the session cookie the response set, if any. */
char *soap_post(sim_instance *sim, const char *cookie, const char *body_xml, long *status, char **cookie_out,
                GError **error);

/* RetrieveServiceContent + Login with the sim's credentials; returns the
 * session cookie. Fails the test on error. */
char *soap_login(sim_instance *sim);

/* Posts and asserts HTTP 200; returns the body. */
char *soap_ok(sim_instance *sim, const char *cookie, const char *body_xml);

/* Posts and asserts a SOAP fault whose detail type is @fault (e.g.
 * "InvalidArgument"); returns the body. */
char *soap_fault(sim_instance *sim, const char *cookie, const char *body_xml, const char *fault);

/* Number of non-overlapping occurrences of @needle in @haystack. */
int count_substr(const char *haystack, const char *needle);

/* The text between the first @open and the next @close, or NULL. */
char *extract_between(const char *haystack, const char *open, const char *close);

/* Creates a ContainerView of @type under the root folder and returns its moref value. */
char *create_container_view(sim_instance *sim, const char *cookie, const char *type);

/* A RetrievePropertiesEx body over ContainerView @view for @type's @path,
 * with maxObjects @max_objects (0: none). */
char *retrieve_ex_body(sim_instance *sim, const char *view, const char *type, const char *path, int max_objects);

/* The property collector's moref value for the sim's model. */
const char *property_collector(sim_instance *sim);

/* Finds the moref value of the @type object named @name. */
char *find_object(sim_instance *sim, const char *cookie, const char *type, const char *name);

/* Finds the moref value of the VM named @name. */
char *find_vm(sim_instance *sim, const char *cookie, const char *name);

/* The <val> of property @path of object @type:@moref, as raw XML text (for
 * simple types, the value itself), or NULL when the property is unset. */
char *get_property(sim_instance *sim, const char *cookie, const char *type, const char *moref, const char *path);

/* Polls @type:@moref's @path every 50 ms until it equals @want or @timeout_ms
 * pass; returns whether it did. */
gboolean wait_property(sim_instance *sim, const char *cookie, const char *type, const char *moref, const char *path,
                       const char *want, int timeout_ms);

/* A control request that must succeed; returns the response (g_free). */
char *control_ok(sim_instance *sim, const char *method, const char *path, const char *body);
